"""HTML pages and the JSON API, one router per module; :data:`ukur.web.app.ROUTERS` lists them."""
