# tiegraph — a thin wrapper over CMake.
#   make          build build/tiegraph (release)
#   make demo     install what is missing, build, import the example data, run the
#                 example scripts, write tables and SVGs under out/
#   make test     install what is missing, build with ASan+UBSan, run ctest
#   make bench    install the peers, build, run the benchmarks (takes a while)
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps demo test bench clean

all:
	cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build build -j $(JOBS)

deps:
	./scripts/install-deps.sh

demo: deps all
	./scripts/demo.sh

test:
	TG_TEST_DEPS=1 ./scripts/install-deps.sh
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DTG_SANITIZE=ON -DTG_BENCH=OFF >/dev/null
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --output-on-failure -j $(JOBS)

bench:
	TG_BENCH_DEPS=1 ./scripts/install-deps.sh
	$(MAKE) all
	./bench/run.sh

clean:
	rm -rf build build-asan out
