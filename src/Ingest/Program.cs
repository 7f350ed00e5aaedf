using Vigil.Ingest;
using Vigil.ServiceDefaults;

var app = IngestHost.Build(WebApplication.CreateBuilder(args));
await app.RunVigilAsync(args);
