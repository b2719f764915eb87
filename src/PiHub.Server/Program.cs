var builder = WebApplication.CreateSlimBuilder(args);
var app = builder.Build();
app.MapGet("/api/", () => Results.Text("{\"message\":\"API running.\"}", "application/json"));
app.Run();
