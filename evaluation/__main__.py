from evaluation.generated import main

main()
