using Gateway.Apis;
using Gateway.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.Host.UseSystemd();
builder.AddGatewayServices();
builder.AddGatewayLogging();

var app = builder.Build();
app.UseGatewayPipeline();
app.MapHealthApi();
app.MapKeysApi();
app.MapOpsApi();
app.Run();

/// <summary>Entry point type, visible to the functional tests.</summary>
public partial class Program;
