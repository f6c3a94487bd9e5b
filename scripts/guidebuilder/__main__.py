from guidebuilder.cli import main

raise SystemExit(main())
