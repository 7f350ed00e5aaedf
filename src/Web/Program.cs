using Vigil.ServiceDefaults;
using Vigil.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddVigilWeb();

var app = builder.Build();
app.MapVigilWeb();
await app.RunVigilAsync(args);
