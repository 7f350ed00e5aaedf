using Vigil.Api;
using Vigil.ServiceDefaults;

var app = ApiHost.Build(WebApplication.CreateBuilder(args));
await app.RunVigilAsync(args);
