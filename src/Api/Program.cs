using Vigil.Api;
using Vigil.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddVigilApi();
builder.AddVigilBus();

var app = builder.Build();
app.MapVigilApi();
await app.RunVigilAsync(args);
