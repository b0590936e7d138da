# tiegraph — a thin wrapper over CMake.
#   make          build build/tiegraph (release)
#   make demo     install what is missing, build, import the example data, run the
#                 example scripts, write tables and SVGs under out/
#   make test     install what is missing, build with ASan+UBSan, run ctest
#   make test-release  the same tests on the Release build (CI runs both)
#   make install  build, then install tiegraph and its man page under PREFIX
#                 (default /usr/local: bin/tiegraph, share/man/man1/tiegraph.1)
#   make bench    install the peers, build, run the benchmarks (takes a while)
#   make fuzz     build the libFuzzer harnesses with clang and run each for
#                 FUZZ_SECONDS (default 60) from its seed corpus
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps demo test test-release bench fuzz clean install

all:
	cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build build -j $(JOBS)

deps:
	./scripts/install-deps.sh

PREFIX ?= /usr/local
install: all
	cmake --install build --prefix $(PREFIX)

demo: deps all
	./scripts/demo.sh

test:
	TG_TEST_DEPS=1 ./scripts/install-deps.sh
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DTG_SANITIZE=ON -DTG_BENCH=OFF >/dev/null
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --output-on-failure -j $(JOBS)

test-release:
	TG_TEST_DEPS=1 ./scripts/install-deps.sh
	cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build build -j $(JOBS)
	cd build && ctest --output-on-failure -j $(JOBS)

bench:
	TG_BENCH_DEPS=1 ./scripts/install-deps.sh
	$(MAKE) all
	./bench/run.sh

FUZZ_SECONDS ?= 60
fuzz:
	TG_FUZZ_DEPS=1 ./scripts/install-deps.sh
	CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DTG_SANITIZE=ON -DTG_FUZZ=ON \
		-DTG_BENCH=OFF >/dev/null
	cmake --build build-fuzz -j $(JOBS)
	for t in json query script segments csv mapping ftm store graphml xml; do \
		mkdir -p build-fuzz/corpus-$$t && cp -n tests/fuzz/corpus/$$t/* build-fuzz/corpus-$$t/ 2>/dev/null; \
		build-fuzz/tests/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
			-artifact_prefix=build-fuzz/$$t- \
			build-fuzz/corpus-$$t || exit 1; \
	done

clean:
	rm -rf build build-asan build-fuzz out
