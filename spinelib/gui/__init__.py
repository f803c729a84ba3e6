"""The Qt face of SpineLib: a thin layer that only calls the Library and formats.

Map of the parts (docs/ARCHITECTURE.md): ``app`` starts the application and owns the
windows; ``mainwindow`` only arranges and wires, over ``actions`` and ``menus``; what the
table shows is decided in ``querystate`` (plain values) and ``querycontrol`` (when queries
run), the status bar in ``statusbar``, imports in ``importflow``; ``sidebar`` (+
``sidebarmodel``), ``articletable`` + ``tablemodel`` and ``detail`` (+ ``detailhtml``,
``tagpanel``, ``readingstate``, ``referencestab``) are the three panes; ``commands`` and
``librarycommands`` are what the actions do; ``importdialog``, ``exportdialog``,
``prefsdialog``, ``tagpicker``, ``pendingdialog``, ``helpmenu`` (+ ``aboutdialog``) and
``welcome`` are the dialogs and panels; ``jobs`` holds the plain functions that run on
workers and ``tasks`` runs them (no SQL or HTTP on the GUI thread); ``state`` remembers the
window layout; ``widgets`` has small reusable widgets.
"""
