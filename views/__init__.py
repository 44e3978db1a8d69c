"""The NiceGUI views of the workbench: a shell with kept-alive pages, built on the shared ``services``."""
