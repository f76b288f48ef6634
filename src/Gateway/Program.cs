using Gateway.Cli;

return await GatewayCli.RunAsync(args);

/// <summary>Entry point type, visible to the functional tests.</summary>
public partial class Program;
