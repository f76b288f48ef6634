// The gateway is a Linux daemon (systemd, POSIX file modes); its tests run where it runs.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
