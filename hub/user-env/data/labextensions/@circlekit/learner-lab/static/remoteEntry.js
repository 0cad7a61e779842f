/*
 * @circlekit/learner-lab: one JupyterLab plugin for learners' servers on a circle's hub.
 *
 * Why: the guides tell a first-timer to open the notebook and choose Run > Run All Cells. When
 * that is pressed while JupyterLab is still setting up the notebook's session (it asks the
 * server for the running sessions first, and only then starts the kernel), JupyterLab sees
 * "No Kernel" and either asks "Select Kernel" or starts a second connection and runs nothing.
 * This plugin makes every run command wait until the notebook's session is ready, then runs it.
 *
 * Hand-written in the shape JupyterLab loads prebuilt extensions in (a module-federation
 * container with `init` and `get`); it needs no shared package, so no build step.
 */
var _JUPYTERLAB;
(function () {
  "use strict";

  var NAME = "@circlekit/learner-lab";
  var RUN_COMMANDS = [
    "runmenu:run", "runmenu:run-all", "runmenu:restart-and-run-all",
    "notebook:run-all-cells", "notebook:run-all-above", "notebook:run-all-below",
    "notebook:run-cell", "notebook:run-cell-and-select-next",
    "notebook:run-cell-and-insert-below", "notebook:restart-run-all"
  ];
  var WAIT_MS = 120000; // then run anyway: JupyterLab's own message is better than nothing
  var warned = false;

  function sessionOf(app) {
    var widget = app.shell.currentWidget;
    return widget && widget.sessionContext ? widget.sessionContext : null;
  }

  function whenReady(session) {
    if (!session || session.isReady || session.isDisposed) {
      return Promise.resolve();
    }
    var timeout = new Promise(function (resolve) { setTimeout(resolve, WAIT_MS); });
    return Promise.race([session.ready.catch(function () {}), timeout]);
  }

  function wrap(app, id) {
    // Lumino keeps each command's options in the registry's `_commands` map; replacing
    // `execute` there keeps the command's label, shortcut, menu place and enabled state.
    // It is not public API (Lumino 2, JupyterLab 4.x): the public way, new commands put in
    // every menu, toolbar and shortcut through settings, would have to follow JupyterLab's
    // own lists. tests/test_meeting.py (Run All right after opening, 10 times) fails if a
    // new JupyterLab changes this, and the console says so.
    var registry = app.commands && app.commands._commands;
    if (!registry || typeof registry.get !== "function") {
      if (warned) {
        return;
      }
      warned = true;
      console.warn(NAME + ": this JupyterLab keeps its commands elsewhere; Run All pressed " +
                   "while a notebook opens may ask for a kernel");
      return;
    }
    var entry = registry.get(id);
    if (!entry || entry.__circlekitWaits) {
      return;
    }
    var execute = entry.execute;
    entry.execute = function (args) {
      var self = this;
      var session = sessionOf(app);
      if (!session || session.isReady) {
        return execute.call(self, args);
      }
      return whenReady(session).then(function () { return execute.call(self, args); });
    };
    entry.__circlekitWaits = true;
  }

  var plugin = {
    id: NAME + ":run-waits-for-kernel",
    description: "Running cells waits until the notebook's kernel session is ready.",
    autoStart: true,
    activate: function (app) {
      function wrapAll() {
        RUN_COMMANDS.forEach(function (id) { wrap(app, id); });
      }
      wrapAll();
      // Commands added by plugins activated after this one.
      app.commands.commandChanged.connect(function (_, change) {
        if (change.type === "added" && RUN_COMMANDS.indexOf(change.id) >= 0) {
          wrap(app, change.id);
        }
      });
      app.started.then(wrapAll);
    }
  };

  _JUPYTERLAB = _JUPYTERLAB || {};
  _JUPYTERLAB[NAME] = {
    init: function () { return Promise.resolve(); },
    get: function (module) {
      if (module !== "./extension") {
        return Promise.reject(new Error(NAME + " has no module " + module));
      }
      return Promise.resolve(function () { return { __esModule: true, default: [plugin] }; });
    }
  };
})();
