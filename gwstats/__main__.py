from gwstats.cli.app import main

if __name__ == "__main__":  # spawned import workers must not run the CLI again
    main()
