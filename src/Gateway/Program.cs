using Gateway.Apis;

var builder = WebApplication.CreateBuilder(args);
builder.Host.UseSystemd();
builder.WebHost.UseUrls(builder.Configuration["GATEWAY_URLS"] ?? "http://127.0.0.1:3000");

builder.Services.AddSingleton(TimeProvider.System);

var app = builder.Build();
app.MapHealthApi();
app.Run();

/// <summary>Entry point type, visible to the functional tests.</summary>
public partial class Program;
