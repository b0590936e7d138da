# Cases for the ctest test tck_selfcheck: two must pass and the other eleven
# must FAIL, so that a runner that cannot fail is caught.
Feature: Selfcheck - the runner's verdicts

  Scenario: [1] a right answer passes
    Given any graph
    When executing query:
      """
      RETURN 1 AS x, [1, 2] AS l, {a: 1.5} AS m
      """
    Then the result should be, in any order:
      | x | l      | m         |
      | 1 | [1, 2] | {a: 1.5}  |
    And no side effects

  Scenario: [2] a right node, path and side effects pass
    Given an empty graph
    When executing query:
      """
      CREATE p = (:A:B {name: 'a'})-[:T {w: 1}]->(:C)
      RETURN p
      """
    Then the result should be, in any order:
      | p                                          |
      | <(:B:A {name: 'a'})-[:T {w: 1}]->(:C)>     |
    And the side effects should be:
      | +nodes         | 2 |
      | +relationships | 1 |
      | +labels        | 3 |
      | +properties    | 2 |

  Scenario: [3] a wrong value fails
    Given any graph
    When executing query:
      """
      RETURN 1 AS x
      """
    Then the result should be, in any order:
      | x |
      | 2 |

  Scenario: [4] an integer is not a float
    Given any graph
    When executing query:
      """
      RETURN 1 AS x
      """
    Then the result should be, in any order:
      | x   |
      | 1.0 |

  Scenario: [5] the wrong order fails
    Given any graph
    When executing query:
      """
      UNWIND [1, 2] AS x RETURN x
      """
    Then the result should be, in order:
      | x |
      | 2 |
      | 1 |

  Scenario: [6] a wrong column name fails
    Given any graph
    When executing query:
      """
      RETURN 1 AS x
      """
    Then the result should be, in any order:
      | y |
      | 1 |

  Scenario: [7] a missing error fails
    Given any graph
    When executing query:
      """
      RETURN 1 AS x
      """
    Then a SyntaxError should be raised at compile time: UnexpectedSyntax

  Scenario: [8] wrong side effects fail
    Given any graph
    When executing query:
      """
      CREATE ()
      """
    Then the result should be empty
    And no side effects

  Scenario: [9] an extra row fails
    Given any graph
    When executing query:
      """
      UNWIND [1, 2] AS x RETURN x
      """
    Then the result should be, in any order:
      | x |
      | 1 |

  Scenario: [10] a missing label fails
    Given an empty graph
    And having executed:
      """
      CREATE (:A:C {name: 'a'})
      """
    When executing query:
      """
      MATCH (a) RETURN a
      """
    Then the result should be, in any order:
      | a                |
      | (:A {name: 'a'}) |

  Scenario: [11] a reversed path fails
    Given an empty graph
    And having executed:
      """
      CREATE (:A)-[:T]->(:B)
      """
    When executing query:
      """
      MATCH p = (:A)-[:T]->(:B) RETURN p
      """
    Then the result should be, in any order:
      | p                  |
      | <(:A)<-[:T]-(:B)>  |

  Scenario: [12] the wrong error kind fails
    Given any graph
    When executing query:
      """
      RETURN 1 +
      """
    Then a TypeError should be raised at runtime: InvalidArgumentType

  Scenario: [13] a semantic error is not a SyntaxError
    Given any graph
    When executing query:
      """
      RETURN $missing AS x
      """
    Then a SyntaxError should be raised at compile time: UndefinedVariable
