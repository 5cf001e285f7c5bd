using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.Platform;

/// <summary>
/// A fixture's app, once disposed, leaves no connection to its database. Before, every finished fixture's pooled
/// connections stayed idle on the throwaway cluster for Npgsql's 5-minute idle lifetime, so a run's count of
/// connections grew with each fixture that owned an app (decision 125 had to raise max_connections to 1,000).
/// </summary>
public sealed class AppDisposalTests
{
    [Fact]
    public async Task A_disposed_app_leaves_no_connection_to_its_database()
    {
        await new SharedApp().InitializeAsync(); // the shared app makes the run's roles first
        var database = await TestDatabaseServer.CreateDatabaseAsync("disposal");
        var app = new BookingApp(database);
        var biz = await app.SignUpBusinessAsync(); // tenant contexts, plain contexts, the session store, Hangfire
        Assert.Equal(System.Net.HttpStatusCode.OK, (await biz.Owner.GetAsync(new Uri("/api/v1/admin/staff", UriKind.Relative))).StatusCode);
        await Sql.ScalarAsync<long>(database.OwnerConnectionString, "SELECT 1"); // and the test's own SQL, as fixtures' tests do
        Assert.NotEqual("", await ConnectionsToAsync(database.Database));

        await app.DisposeAsync();

        // A closed connection's backend leaves pg_stat_activity a moment after the client hangs up.
        await Eventually.ReturnsAsync(() => ConnectionsToAsync(database.Database), left => left == "", TimeSpan.FromSeconds(10),
            "the disposed app's connections to close");
    }

    /// <summary>Who is still connected to the database (application name / role / state / last statement), empty for no one.</summary>
    private static async Task<string> ConnectionsToAsync(string database) =>
        await Sql.AdminScalarAsync<string>("postgres", """
            SELECT coalesce(string_agg(application_name || ' / ' || usename || ' / ' || coalesce(state, '') || ' / ' || left(query, 40), '; '), '')
            FROM pg_stat_activity WHERE datname = @database
            """, ("database", database)) ?? "";
}
