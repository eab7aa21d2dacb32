from textract_pipeline.cli import main

main()
