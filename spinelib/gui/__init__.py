"""The Qt face of SpineLib: a thin layer that only calls the Library and formats.

Map of the parts (DESIGN §2): ``app`` starts the application and owns the windows;
``mainwindow`` only arranges and wires; ``sidebar``, ``articletable`` + ``tablemodel`` and
``detail`` (+ ``detailhtml``) are the three panes; ``commands`` is what the actions do;
``importdialog``, ``exportdialog``, ``prefsdialog``, ``tagpicker``, ``pendingdialog``,
``helpmenu`` and ``welcome`` are the dialogs and panels; ``jobs`` holds the plain functions
that run on workers and ``tasks`` runs them (DESIGN §5: no SQL or HTTP on the GUI thread);
``state`` remembers the window layout; ``widgets`` has small reusable widgets.
"""
