using Vigil.Server;
using Vigil.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddVigilServer();

var app = builder.Build();
app.MapVigilServer();
await app.RunVigilAsync(args);
