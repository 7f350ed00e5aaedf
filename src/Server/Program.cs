using Vigil.Server;
using Vigil.ServiceDefaults;

var app = ServerHost.Build(WebApplication.CreateBuilder(args));
await app.RunVigilAsync(args);
