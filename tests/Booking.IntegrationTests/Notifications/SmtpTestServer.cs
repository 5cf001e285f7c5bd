using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// A real SMTP server on loopback: Debian's python3-aiosmtpd running smtp_sink.py, which stores each message as a
/// file here. Stop and start it (same port) to simulate SMTP being down.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private Process? process;

    private SmtpTestServer(int port, string directory)
    {
        Port = port;
        Directory = directory;
    }

    public int Port { get; }

    public string Directory { get; }

    public static async Task<SmtpTestServer> StartAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var directory = Path.Combine(Path.GetTempPath(), "booking-smtp", Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var server = new SmtpTestServer(port, directory);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Debian's interpreter, which has python3-aiosmtpd; a python3 from elsewhere on PATH may not.</summary>
    private static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    public async Task StartAgainAsync()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Notifications", "smtp_sink.py");
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add(Directory);
        process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the SMTP sink.");
        var ready = process.StandardOutput.ReadLineAsync();
        if (await Task.WhenAny(ready, Task.Delay(TimeSpan.FromSeconds(20))) != ready || await ready != "READY")
        {
            var error = process.HasExited ? await process.StandardError.ReadToEndAsync() : "no READY within 20 s";
            throw new InvalidOperationException($"The SMTP sink (python3-aiosmtpd) did not start: {error}");
        }
    }

    /// <summary>SMTP down: connections to the port are refused until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process?.Dispose();
        process = null;
    }

    /// <summary>A "reject…" address that the server accepts from now on (its mailbox was fixed).</summary>
    public Task FixMailboxAsync(string address) =>
        File.AppendAllTextAsync(Path.Combine(Directory, "fixed-mailboxes"), address + "\n");

    /// <summary>
    /// Every message received so far, parsed, in the order they arrived (each file's write time: the files are named by
    /// random uuids, and the directory lists them in no order at all, so a test that took "the last one" got any one).
    /// </summary>
    public IReadOnlyList<MimeMessage> Messages() =>
        new DirectoryInfo(Directory).GetFiles("*.eml")
            .OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => MimeMessage.Load(f.FullName))
            .ToList();

    public IReadOnlyList<MimeMessage> MessagesTo(string address) =>
        Messages().Where(m => m.To.Mailboxes.Any(x => string.Equals(x.Address, address, StringComparison.OrdinalIgnoreCase))).ToList();

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
