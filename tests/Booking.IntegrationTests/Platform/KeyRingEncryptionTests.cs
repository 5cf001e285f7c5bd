using System.Net;
using Booking.Host.Infrastructure;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Notifications;
using Booking.IntegrationTests.PortalAuth;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace Booking.IntegrationTests.Platform;

/// <summary>
/// The Data Protection keys (which sign cookies and encrypt reset links) are stored in PostgreSQL encrypted with a
/// certificate kept outside it (<see cref="KeyRingProtection"/>): a database dump holds no usable key. Instances with
/// the certificate share the ring; one without it treats the others' cookies as signed out. Each test has its own
/// database, since its instances write keys the shared app could not read.
/// </summary>
public sealed class KeyRingEncryptionTests
{
    [Fact]
    public async Task Keys_are_stored_encrypted_an_instance_with_the_certificate_reads_the_cookies_and_one_without_it_signs_them_out()
    {
        var certificate = KeyCertificates.New("ring", password: "ring password");
        var database = await TestDatabaseServer.CreateDatabaseAsync("keyring");
        await using var first = new BookingApp(database).With(KeyRingProtection.PathKey, certificate).With(KeyRingProtection.PasswordKey, "ring password");
        await AppStarts.StartAsync(first);
        var biz = await first.SignUpBusinessAsync("keyring");
        var registered = await first.NewClient().RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail());
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var cookie = registered.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith($"booking-portal.{biz.Slug}=", StringComparison.Ordinal)).Split(';')[0];

        // What a dump of the table shows: keys, each an encrypted secret; no master key in the clear.
        var keys = await KeyXmlAsync(database.Database);
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
            Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
            Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
        });

        // A second instance given the same certificate reads the first one's cookie.
        await using var second = new BookingApp(database).With(KeyRingProtection.PathKey, certificate).With(KeyRingProtection.PasswordKey, "ring password").With("Hangfire:Server", "false");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(second, $"/api/v1/portal/me?name={biz.Slug}", cookie)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(second, $"/ol/appointments?name={biz.Slug}", cookie)).StatusCode);

        // One with another certificate cannot decrypt the keys: the cookie counts as no session, never as an error.
        await using var stranger = new BookingApp(database).With(KeyRingProtection.PathKey, KeyCertificates.New("stranger")).With("Hangfire:Server", "false");
        var me = await SendAsync(stranger, $"/api/v1/portal/me?name={biz.Slug}", cookie);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        var page = await SendAsync(stranger, $"/ol/appointments?name={biz.Slug}", cookie);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith($"/ol/sign-in?name={biz.Slug}", page.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(stranger, $"/ol/book?name={biz.Slug}", cookie)).StatusCode);

        // The first instance still reads its own cookie.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(first, $"/api/v1/portal/me?name={biz.Slug}", cookie)).StatusCode);
    }

    [Fact]
    public async Task Keys_stored_unencrypted_before_the_upgrade_still_read_and_new_keys_are_encrypted()
    {
        var database = await TestDatabaseServer.CreateDatabaseAsync("keyring_upgrade");
        string cookie;
        string slug;
        await using (var before = new PlainKeysApp(database))
        {
            await AppStarts.StartAsync(before);
            var biz = await before.SignUpBusinessAsync("upgrade");
            slug = biz.Slug;
            var registered = await before.NewClient().RegisterAsync(slug, PortalAuthHelpers.NewEmail());
            cookie = registered.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith($"booking-portal.{slug}=", StringComparison.Ordinal)).Split(';')[0];
        }

        var old = Assert.Single(await KeyXmlAsync(database.Database));
        Assert.Contains("<masterKey", old, StringComparison.Ordinal); // as every key was stored before

        await using var after = new BookingApp(database).With(KeyRingProtection.PathKey, KeyCertificates.New("upgrade"));
        await AppStarts.StartAsync(after);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(after, $"/api/v1/portal/me?name={slug}", cookie)).StatusCode);

        // The next key (made here at once rather than in 90 days) is stored encrypted; the old cookie still reads.
        var now = DateTimeOffset.UtcNow;
        after.Services.GetRequiredService<IKeyManager>().CreateNewKey(now, now.AddDays(90));
        var keys = await KeyXmlAsync(database.Database);
        Assert.Equal(2, keys.Count);
        Assert.DoesNotContain("<masterKey", keys[1], StringComparison.Ordinal);
        Assert.Contains("EncryptedData", keys[1], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(after, $"/api/v1/portal/me?name={slug}", cookie)).StatusCode);
    }

    [Fact]
    public async Task Development_makes_one_certificate_under_data_however_many_apps_start_at_once()
    {
        var contentRoot = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "Host");
        Assert.EndsWith(Path.Combine(".data", "keys", "data-protection.pfx"), KeyRingProtection.DevelopmentCertificatePath(contentRoot), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(KeyRingProtection.DevelopmentCertificatePath(contentRoot))))!, "Booking.sln")));

        var path = Path.Combine(Path.GetTempPath(), "booking-test-keys", Guid.NewGuid().ToString("N"), "data-protection.pfx");
        try
        {
            var made = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => KeyRingProtection.CreateCertificateFile(path))));
            Assert.Equal(1, made.Count(m => m));
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!)); // no temporary file left behind
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }

            // The file made is one the app accepts.
            var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(KeyRingProtection.PathKey, path)]).Build();
            new ServiceCollection().AddDataProtection().ProtectKeysOutsideTheDatabase(configuration, Environment("Production"));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void Outside_development_the_app_does_not_start_without_a_certificate_or_with_a_wrong_password()
    {
        var none = Assert.Throws<InvalidOperationException>(() =>
            new ServiceCollection().AddDataProtection().ProtectKeysOutsideTheDatabase(new ConfigurationBuilder().Build(), Environment("Production")));
        Assert.Contains(KeyRingProtection.PathKey, none.Message, StringComparison.Ordinal);

        var path = KeyCertificates.New("password", password: "right");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(KeyRingProtection.PathKey, path), new(KeyRingProtection.PasswordKey, "wrong")]).Build();
        var wrong = Assert.Throws<InvalidOperationException>(() =>
            new ServiceCollection().AddDataProtection().ProtectKeysOutsideTheDatabase(configuration, Environment("Production")));
        Assert.Contains(KeyRingProtection.PathKey, wrong.Message, StringComparison.Ordinal);
    }

    private static HostingEnvironment Environment(string name) => new() { EnvironmentName = name, ContentRootPath = AppContext.BaseDirectory };

    private static async Task<List<string>> KeyXmlAsync(string database)
    {
        var all = await Sql.AdminScalarAsync<string>(database, "select string_agg(xml, '\n<!--next-->\n' order by id) from platform.data_protection_keys");
        return all is null ? [] : [.. all.Split("\n<!--next-->\n")];
    }

    private static async Task<HttpResponseMessage> SendAsync(BookingApp app, string url, string cookie)
    {
        var http = app.CreateClient(new() { HandleCookies = false, AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", cookie);
        return await http.SendAsync(request);
    }

    /// <summary>The app as it was before keys were encrypted: the same ring, stored in the clear.</summary>
    private sealed class PlainKeysApp(Booking.BuildingBlocks.Postgres.ProvisionedDatabase database) : BookingApp(database)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.PostConfigure<KeyManagementOptions>(options => options.XmlEncryptor = null));
        }
    }
}
