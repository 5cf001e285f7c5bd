using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.BuildingBlocks.Postgres;
using Booking.BuildingBlocks.Security;
using Booking.Host.Infrastructure;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Notifications;
using Booking.IntegrationTests.PortalAuth;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.Platform;

/// <summary>
/// <c>keys revoke</c>, the operator's answer to a suspected leak of the Data Protection keys, run as an operator runs
/// it: the Host's own program in a process of its own, outside Development, with the app role's connection string and
/// the certificate only. Before it, a client is signed in on a running instance with a trusted device, and a reset link
/// for a client and one for staff are out; after it, on that instance and on one started afterwards (a restart), none
/// of them works, while a new sign-in does.
/// </summary>
public sealed class KeyRevocationTests
{
    private const string CertificatePassword = "revoke password";

    [Fact]
    public async Task Keys_revoke_signs_everyone_out_ends_reset_links_and_trusted_devices_and_makes_a_new_key()
    {
        var certificate = KeyCertificates.New("revoke", password: CertificatePassword);
        var database = await TestDatabaseServer.CreateDatabaseAsync("keys_revoke");
        await using var running = new BookingApp(database).With(KeyRingProtection.PathKey, certificate).With(KeyRingProtection.PasswordKey, CertificatePassword);
        await AppStarts.StartAsync(running);
        var biz = await running.SignUpBusinessAsync("revoke");
        var email = PortalAuthHelpers.NewEmail();
        var registered = await running.NewClient().RegisterAsync(biz.Slug, email);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var session = CookieOf(registered, $"booking-portal.{biz.Slug}");
        var device = CookieOf(registered, $"booking-portal-device.{biz.Slug}");
        var passwordHash = await Sql.AdminScalarAsync<string>(database.Database, "select password_hash from portalauth.clients where email = @e", ("e", email));
        Assert.NotNull(running.Services.GetRequiredService<TrustedDevices>().Nonce(DeviceArea.Portal, Value(device), biz.Id, email, passwordHash));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(running, $"/api/v1/portal/me?name={biz.Slug}", session)).StatusCode);

        var clientToken = await ResetTokenAsync(running, $"/api/v1/portal/auth/forgot-password?name={biz.Slug}", email, "/ol/reset-password?");
        var staffToken = await ResetTokenAsync(running, $"/api/v1/staff/auth/forgot-password?name={biz.Slug}", biz.OwnerEmail, "/staff/reset-password?");
        var confirmToken = await EmailedTokenAsync(running, biz.OwnerEmail, "/staff/verify-email?"); // the sign-up's, not yet used
        Assert.DoesNotContain("link-dead", await PageAsync(running, $"/ol/reset-password?name={biz.Slug}&token={clientToken}"), StringComparison.Ordinal);

        var sessions = await Sql.AdminScalarAsync<long>(database.Database, "select count(*) from platform.auth_sessions");
        Assert.True(sessions >= 2, $"{sessions} sessions"); // the client's and the owner's

        // Without a reason it does nothing and says how to call it.
        var refused = await RunHostAsync(database, certificate, "keys", "revoke");
        Assert.Equal(2, refused.Exit);
        Assert.Contains("keys revoke --reason", refused.Errors, StringComparison.Ordinal);
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(database.Database, "select count(*) from platform.data_protection_keys where xml like '%<revocation%'"));

        var revoked = await RunHostAsync(database, certificate, "keys", "revoke", "--reason", "laptop with the certificate stolen");
        Assert.True(revoked.Exit == 0, revoked.Output + revoked.Errors);
        Assert.Contains("Revoked 1 Data Protection key", revoked.Output, StringComparison.Ordinal);
        Assert.Contains("(reason: laptop with the certificate stolen)", revoked.Output, StringComparison.Ordinal);
        Assert.Contains($"Ended {sessions} sign-in sessions: everyone is signed out", revoked.Output, StringComparison.Ordinal);
        var links = revoked.Output.Split('\n').Single(l => l.Contains("still usable", StringComparison.Ordinal));
        Assert.Contains("1 staff password reset link,", links, StringComparison.Ordinal);
        Assert.Contains("1 client password reset link,", links, StringComparison.Ordinal);
        Assert.Contains("1 staff email confirmation link", links, StringComparison.Ordinal);
        Assert.Contains("address confirmation link", links, StringComparison.Ordinal);
        Assert.EndsWith("still usable, in 1 business.", links.TrimEnd(), StringComparison.Ordinal);
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(database.Database, "select count(*) from platform.auth_sessions"));
        Assert.Contains("Running instances were told and reload the keys within seconds", revoked.Output, StringComparison.Ordinal);

        // On the instance that was running: signed out at once (its session is gone) and the links are dead.
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(running, $"/api/v1/portal/me?name={biz.Slug}", session)).StatusCode);
        Assert.Contains("link-dead", await PageAsync(running, $"/ol/reset-password?name={biz.Slug}&token={clientToken}"), StringComparison.Ordinal);
        await running.DisposeAsync();

        // Restarted: the old keys are revoked, so the device is no longer trusted and the old cookie reads as no session.
        await using var restarted = new BookingApp(database).With(KeyRingProtection.PathKey, certificate).With(KeyRingProtection.PasswordKey, CertificatePassword);
        await AppStarts.StartAsync(restarted);
        Assert.Null(restarted.Services.GetRequiredService<TrustedDevices>().Nonce(DeviceArea.Portal, Value(device), biz.Id, email, passwordHash));
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(restarted, $"/api/v1/portal/me?name={biz.Slug}", session)).StatusCode);
        await AssertTokenRefusedAsync(await restarted.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/reset-password?name={biz.Slug}",
            new { token = clientToken, newPassword = "a brand new sentence for my account" }));
        await AssertTokenRefusedAsync(await restarted.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/reset-password?name={biz.Slug}",
            new { token = staffToken, newPassword = "a brand new sentence for my account" }));
        await AssertTokenRefusedAsync(await restarted.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/verify-email?name={biz.Slug}", new { token = confirmToken }));
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(database.Database, "select count(*) from tenancy.staff_members where email_proven_at is not null"));

        // Signing in again works, with a cookie the new key made.
        var again = restarted.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await again.SignInAsync(biz.Slug, email)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await again.MeAsync(biz.Slug)).StatusCode);

        // The key ring: the revocation (with its reason) and a new key, encrypted like the rest.
        var keys = await Sql.AdminScalarAsync<string>(database.Database, "select string_agg(xml, '\n' order by id) from platform.data_protection_keys");
        Assert.Contains("laptop with the certificate stolen", keys, StringComparison.Ordinal);
        Assert.Equal(2L, await Sql.AdminScalarAsync<long>(database.Database, "select count(*) from platform.data_protection_keys where xml like '<key %'"));
        Assert.DoesNotContain("<masterKey", keys, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_list_shows_each_keys_dates_the_revoked_one_with_its_reason_and_the_new_default_and_changes_nothing()
    {
        var certificate = KeyCertificates.New("list", password: CertificatePassword);
        var database = await TestDatabaseServer.CreateDatabaseAsync("keys_list");
        await using (var instance = new BookingApp(database).With(KeyRingProtection.PathKey, certificate).With(KeyRingProtection.PasswordKey, CertificatePassword))
        {
            // An instance ran (the schema is there) and made its first key, as the first cookie does.
            await AppStarts.StartAsync(instance);
            _ = instance.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("keys-list-test").Protect("first key");
        }

        var listed = await RunHostAsync(database, certificate, "keys", "list");
        Assert.True(listed.Exit == 0, listed.Output + listed.Errors);
        Assert.Contains("1 Data Protection key, newest first (times in UTC):", listed.Output, StringComparison.Ordinal);
        var firstLine = Assert.Single(KeyLines(listed.Output));
        var first = Guid.Parse(firstLine["Key ".Length..firstLine.IndexOf(':', StringComparison.Ordinal)]);
        Assert.EndsWith("Not revoked. The default: new cookies and links are made with it.", firstLine, StringComparison.Ordinal);
        Assert.Contains($"The default key is {first}.", listed.Output, StringComparison.Ordinal);

        // Anything after "list" is not understood: usage (naming both commands) and exit 2.
        var refused = await RunHostAsync(database, certificate, "keys", "list", "--all");
        Assert.Equal(2, refused.Exit);
        Assert.Contains("Usage: keys list", refused.Errors, StringComparison.Ordinal);
        Assert.Contains("keys revoke --reason", refused.Errors, StringComparison.Ordinal);

        var revoked = await RunHostAsync(database, certificate, "keys", "revoke", "--reason", "laptop with the certificate stolen");
        Assert.True(revoked.Exit == 0, revoked.Output + revoked.Errors);
        var made = revoked.Output.Split('\n').Single(l => l.StartsWith("Made a new key, ", StringComparison.Ordinal));
        var second = Guid.Parse(made["Made a new key, ".Length..].Split(',')[0]);
        var rows = await KeyRowsAsync(database);
        var after = await RunHostAsync(database, certificate, "keys", "list");
        Assert.True(after.Exit == 0, after.Output + after.Errors);
        Assert.Equal(rows, await KeyRowsAsync(database)); // listing wrote nothing
        Assert.Contains("2 Data Protection keys, newest first (times in UTC):", after.Output, StringComparison.Ordinal);

        // Newest first: the new key, active now and the default; then the old one, revoked with the reason given.
        var lines = KeyLines(after.Output);
        Assert.Equal([second, first], lines.Select(l => Guid.Parse(l["Key ".Length..l.IndexOf(':', StringComparison.Ordinal)])));
        const string Time = @"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC";
        Assert.Matches($"^Key {second}: created {Time}, active from {Time}, expires {Time}\\. Not revoked\\. The default: new cookies and links are made with it\\.$", lines[0]);
        Assert.Matches($"^Key {first}: created {Time}, active from {Time}, expires {Time}\\. Revoked {Time} \\(reason: laptop with the certificate stolen\\)\\.$", lines[1]);
        Assert.Contains($"The default key is {second}.", after.Output, StringComparison.Ordinal);
        var created = DateTime.ParseExact(lines[0].Split("created ")[1][..19], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        Assert.InRange(DateTime.UtcNow - created, TimeSpan.FromMinutes(-1), TimeSpan.FromMinutes(5));

        // With another certificate no key can be read, so none is the default (an instance would make its own).
        var stranger = await RunHostAsync(database, KeyCertificates.New("stranger", password: CertificatePassword), "keys", "list");
        Assert.True(stranger.Exit == 0, stranger.Output + stranger.Errors);
        Assert.EndsWith("It cannot be read with the configured certificates.", KeyLines(stranger.Output)[0], StringComparison.Ordinal);
        Assert.Contains("No key is the default", stranger.Output, StringComparison.Ordinal);
        Assert.Equal(rows, await KeyRowsAsync(database));

        // A ring with no keys at all (a database no instance has run on) says so.
        await Sql.AdminExecAsync(database.Database, "delete from platform.data_protection_keys");
        var empty = await RunHostAsync(database, certificate, "keys", "list");
        Assert.True(empty.Exit == 0, empty.Output + empty.Errors);
        Assert.Contains("No Data Protection keys yet: the first instance to start makes one.", empty.Output, StringComparison.Ordinal);
        Assert.Equal(0L, await KeyRowsAsync(database));
    }

    private static Task<long> KeyRowsAsync(ProvisionedDatabase database) =>
        Sql.AdminScalarAsync<long>(database.Database, "select count(*) from platform.data_protection_keys");

    /// <summary>The lines of <c>keys list</c> that describe one key each, in their order.</summary>
    private static List<string> KeyLines(string output) =>
        output.Split('\n').Select(l => l.TrimEnd()).Where(l => l.StartsWith("Key ", StringComparison.Ordinal)).ToList();

    private static string CookieOf(HttpResponseMessage response, string name) =>
        response.Headers.GetValues("Set-Cookie").First(c => c.StartsWith(name + "=", StringComparison.Ordinal)).Split(';')[0];

    private static string Value(string cookie) => cookie[(cookie.IndexOf('=', StringComparison.Ordinal) + 1)..];

    private static async Task<HttpResponseMessage> SendAsync(BookingApp app, string url, string cookie)
    {
        var http = app.CreateClient(new() { HandleCookies = false, AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", cookie);
        return await http.SendAsync(request);
    }

    private static async Task<string> PageAsync(BookingApp app, string url)
    {
        var page = await app.NewClient().GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await page.Content.ReadAsStringAsync();
    }

    /// <summary>Asks for a reset link and reads its token from the email in the development mail sink.</summary>
    private static async Task<string> ResetTokenAsync(BookingApp app, string forgotUrl, string email, string linkPath)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await app.NewClient().PostAsJsonAsync(forgotUrl, new { email })).StatusCode);
        return await EmailedTokenAsync(app, email, linkPath);
    }

    /// <summary>The token of the link to <paramref name="linkPath"/> in an email in the development mail sink, once it has arrived.</summary>
    private static async Task<string> EmailedTokenAsync(BookingApp app, string email, string linkPath)
    {
        var mails = await Eventually.ReturnsAsync(
            () => app.NewClient().GetFromJsonAsync<JsonElement>($"/dev/api/mail?to={Uri.EscapeDataString(email)}"),
            j => j.EnumerateArray().Any(m => m.GetProperty("text").GetString()!.Contains(linkPath, StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60), $"a reset link to {email}");
        var link = mails.EnumerateArray().Select(m => m.GetProperty("text").GetString()!)
            .SelectMany(t => t.Split('\n')).Select(l => l.Trim()).First(l => l.Contains(linkPath, StringComparison.Ordinal));
        return link[(link.IndexOf("&token=", StringComparison.Ordinal) + "&token=".Length)..];
    }

    private static async Task AssertTokenRefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.True(json.GetProperty("errors").TryGetProperty("token", out _), json.GetRawText());
    }

    /// <summary>
    /// The Host's program (built beside the tests) as a process of its own, as in production: the app role's connection
    /// string, the certificate and its password, nothing else (no owner role, no <c>PublicBaseUrl</c>).
    /// </summary>
    private static async Task<(int Exit, string Output, string Errors)> RunHostAsync(ProvisionedDatabase database, string certificate, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Booking.Host.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Booking"] = database.AppConnectionString;
        start.Environment["Database__AppRole"] = database.AppRole;
        start.Environment["DataProtection__CertificatePath"] = certificate;
        start.Environment["DataProtection__CertificatePassword"] = CertificatePassword;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await errors);
    }
}
