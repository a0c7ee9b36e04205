"""Request and response shapes, one module per API resource module, named alike (a route
module defines none): they drive validation and the OpenAPI document."""
