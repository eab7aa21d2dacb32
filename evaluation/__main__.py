"""``python -m evaluation [--count N --seed S]`` scores generated deeds; ``python -m evaluation real DIR --truth F``
scores real ones; ``python -m evaluation libraries DIR --truth F`` compares field parsers on them."""

import sys

if sys.argv[1:2] == ["real"]:
    from evaluation.real import main

    main(sys.argv[2:])
elif sys.argv[1:2] == ["libraries"]:
    from evaluation.field_libraries import main

    main(sys.argv[2:])
else:
    from evaluation.generated import main

    main()
