using Vigil.Ingest;
using Vigil.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddVigilIngest();
builder.AddVigilBus(IngestBus.Consumers);

var app = builder.Build();
app.MapVigilIngest();
await app.RunVigilAsync(args);
