# The ctest test tck_isolation runs these with TG_TCK_TEST_CRASH=CRASH_HERE
# and TG_TCK_TEST_HANG=HANG_HERE: case [2] must fail as crashed, [4] as timed
# out, and the cases after each must still run and pass.
Feature: Isolation - one crash or hang costs one case

  Scenario: [1] before
    Given any graph
    When executing query:
      """
      RETURN 1 AS x
      """
    Then the result should be, in any order:
      | x |
      | 1 |

  Scenario: [2] crashes
    Given any graph
    When executing query:
      """
      RETURN 'CRASH_HERE' AS x
      """
    Then the result should be, in any order:
      | x            |
      | 'CRASH_HERE' |

  Scenario: [3] after the crash
    Given any graph
    When executing query:
      """
      RETURN 3 AS x
      """
    Then the result should be, in any order:
      | x |
      | 3 |

  Scenario: [4] hangs
    Given any graph
    When executing query:
      """
      RETURN 'HANG_HERE' AS x
      """
    Then the result should be, in any order:
      | x           |
      | 'HANG_HERE' |

  Scenario: [5] after the hang
    Given any graph
    When executing query:
      """
      RETURN 5 AS x
      """
    Then the result should be, in any order:
      | x |
      | 5 |
