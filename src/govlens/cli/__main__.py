from govlens.cli import main

main()
