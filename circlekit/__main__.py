from circlekit.cli import main

raise SystemExit(main())
