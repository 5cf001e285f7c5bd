using Booking.BuildingBlocks.Postgres;
using Npgsql;
using Testcontainers.PostgreSql;

namespace Booking.IntegrationTests.Infrastructure;

/// <summary>
/// One real PostgreSQL server for the whole test run: BOOKING_TEST_DB (a superuser connection string) if set;
/// else a Testcontainers container where a Docker engine answers; else a throwaway cluster from the machine's
/// binaries (the same LocalPostgres code the app's embedded development database uses).
/// </summary>
public static class TestDatabaseServer
{
    private static readonly Lazy<Task<string>> Admin = new(StartAsync);
    private static int databases;

    public static Task<string> AdminConnectionStringAsync() => Admin.Value;

    /// <summary>A fresh database with the app's two roles: every fixture gets its own.</summary>
    public static async Task<ProvisionedDatabase> CreateDatabaseAsync(string purpose)
    {
        var admin = await AdminConnectionStringAsync();
        var run = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var name = $"booking_test_{run}_{purpose}_{Interlocked.Increment(ref databases)}".ToLowerInvariant();
        return await DatabaseProvisioner.ProvisionAsync(admin, name, $"booking_owner_{run}", $"booking_app_{run}", "test-password", CancellationToken.None);
    }

    private static async Task<string> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable("BOOKING_TEST_DB");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        if (await DockerAnswersAsync())
        {
            // As many connections as a throwaway cluster of our own allows (decision 64); the image's default is 100.
            var container = new PostgreSqlBuilder("postgres:15").WithCommand("-c", "max_connections=1000").Build();
            await container.StartAsync();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return new NpgsqlConnectionStringBuilder(container.GetConnectionString()) { Pooling = false }.ConnectionString;
        }

        var parent = Path.Combine(Path.GetTempPath(), "booking-tests");
        LocalPostgres.DeleteAbandoned(parent, TimeSpan.FromMinutes(10));
        var dir = Path.Combine(parent, Guid.NewGuid().ToString("N")[..12]);
        var server = await LocalPostgres.StartAsync(dir, deleteOnDispose: true, CancellationToken.None);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server.AdminConnectionString;
    }

    private static async Task<bool> DockerAnswersAsync()
    {
        if (!File.Exists("/var/run/docker.sock") && Environment.GetEnvironmentVariable("DOCKER_HOST") is null)
        {
            return false;
        }

        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var client = new System.Net.Http.HttpClient(new System.Net.Http.SocketsHttpHandler
            {
                ConnectCallback = async (_, ct) =>
                {
                    var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
                    await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint("/var/run/docker.sock"), ct);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                },
            });
            var response = await client.GetAsync(new Uri("http://docker/_ping"), cts.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception)
        {
            return false;
        }
    }
}
