using Vigil.ServiceDefaults;
using Vigil.Web;

var app = VigilWebHost.Build(WebApplication.CreateBuilder(args));
await app.RunVigilAsync(args);
