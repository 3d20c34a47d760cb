"""The hub's pages (server-rendered, htmx): browsing for everyone who may see a dataset
(``browse``), improvement requests (``requests``) and the organization's pages
(``manage``)."""
