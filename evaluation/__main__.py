"""``python -m evaluation [--count N --seed S]`` scores generated deeds; ``python -m evaluation real DIR --truth F``
scores real ones."""

import sys

if sys.argv[1:2] == ["real"]:
    from evaluation.real import main

    main(sys.argv[2:])
else:
    from evaluation.generated import main

    main()
