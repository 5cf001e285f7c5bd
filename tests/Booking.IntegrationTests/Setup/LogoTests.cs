using System.Net;
using System.Net.Http.Headers;
using Booking.BuildingBlocks.Data;
using Booking.IntegrationTests.Infrastructure;
using Booking.Tenancy.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.Setup;

public sealed class LogoTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private static MultipartFormDataContent Upload(byte[] bytes, string fileName, string contentType)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent { { file, "logo", fileName } };
    }

    [Fact]
    public async Task A_png_is_stored_served_publicly_with_its_type_and_cache_headers_and_shows_in_the_settings()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var anonymous = shared.App.NewClient();
        await (await anonymous.GetAsync(new Uri($"/branding/logo?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.NotFound);

        var png = LogoImages.Png(4, 4);
        // The declared type and name lie; the bytes decide.
        var branding = await (await biz.Owner.PutAsync(new Uri("/api/v1/admin/branding/logo", UriKind.Relative), Upload(png, "logo.gif", "image/gif")))
            .JsonAsync(HttpStatusCode.OK);
        Assert.True(branding.GetProperty("hasLogo").GetBoolean());

        var served = await anonymous.GetAsync(new Uri($"/branding/logo?name={biz.Slug.ToUpperInvariant()}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/png", served.Content.Headers.ContentType!.MediaType);
        Assert.Equal(png, await served.Content.ReadAsByteArrayAsync());
        Assert.Contains("max-age", served.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
        var etag = served.Headers.ETag!;

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/branding/logo?name={biz.Slug}");
        conditional.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await anonymous.SendAsync(conditional)).StatusCode);

        var settings = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.True(settings.GetProperty("branding").GetProperty("hasLogo").GetBoolean());
        var facts = await (await anonymous.GetAsync(new Uri($"/api/v1/portal/business?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.True(facts.GetProperty("branding").GetProperty("hasLogo").GetBoolean());

        // A new logo: a new ETag; JPEG and WebP are accepted too.
        var jpeg = LogoImages.JpegLike();
        await (await biz.Owner.PutAsync(new Uri("/api/v1/admin/branding/logo", UriKind.Relative), Upload(jpeg, "x.png", "image/png"))).JsonAsync(HttpStatusCode.OK);
        var second = await anonymous.GetAsync(new Uri($"/branding/logo?name={biz.Slug}", UriKind.Relative));
        Assert.Equal("image/jpeg", second.Content.Headers.ContentType!.MediaType);
        Assert.NotEqual(etag, second.Headers.ETag);
        await (await biz.Owner.PutAsync(new Uri("/api/v1/admin/branding/logo", UriKind.Relative), Upload(LogoImages.WebPLike(), "x", "application/octet-stream"))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("image/webp", (await anonymous.GetAsync(new Uri($"/branding/logo?name={biz.Slug}", UriKind.Relative))).Content.Headers.ContentType!.MediaType);

        // The logo is stored in PostgreSQL, in the tenancy schema, under this business.
        var stored = await Sql.AdminScalarAsync<long>(shared.App.Database.Database,
            $"select count(*) from tenancy.branding_logos where tenant_id = '{biz.Id}' and content_type = 'image/webp'");
        Assert.Equal(1, stored);

        await (await biz.Owner.DeleteAsync(new Uri("/api/v1/admin/branding/logo", UriKind.Relative))).JsonAsync(HttpStatusCode.NoContent);
        await (await anonymous.GetAsync(new Uri($"/branding/logo?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.NotFound);
        var after = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.False(after.GetProperty("branding").GetProperty("hasLogo").GetBoolean());
    }

    [Fact]
    public async Task A_first_logo_uploaded_twice_at_the_same_moment_is_saved_not_answered_500()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var (red, blue) = (LogoImages.Png(2, 2, r: 0xff, g: 0, b: 0), LogoImages.Png(2, 2, r: 0, g: 0, b: 0xff));

        // Neither request finds a logo (or settings) row; both wait on rows another transaction is making.
        await using (var held = await HeldTransaction.BeginAsync(shared.App.Database.Database))
        {
            await held.ExecAsync("INSERT INTO tenancy.branding_logos (tenant_id, content_type, content, e_tag, updated_at) VALUES (@t, 'image/png', @c, 'held', now())",
                ("t", biz.Id), ("c", LogoImages.Png()));
            foreach (var answer in await held.QueueThenCommitAsync("tenancy.",
                         () => biz.Owner.PutAsync(new Uri("/api/v1/admin/branding/logo", UriKind.Relative), Upload(red, "red.png", "image/png")),
                         () => biz.Owner.PutAsync(new Uri("/api/v1/admin/branding/logo", UriKind.Relative), Upload(blue, "blue.png", "image/png"))))
            {
                Assert.True((await answer.JsonAsync(HttpStatusCode.OK)).GetProperty("hasLogo").GetBoolean());
            }
        }

        // One of the two is the logo, and the settings name its version.
        var served = await (await shared.App.NewClient().GetAsync(new Uri($"/branding/logo?name={biz.Slug}", UriKind.Relative))).Content.ReadAsByteArrayAsync();
        Assert.True(served.SequenceEqual(red) || served.SequenceEqual(blue));
        var version = await Sql.AdminScalarAsync<string>(shared.App.Database.Database, "SELECT logo_version FROM tenancy.portal_settings WHERE tenant_id = @t", ("t", biz.Id));
        Assert.Equal(await Sql.AdminScalarAsync<string>(shared.App.Database.Database, "SELECT e_tag FROM tenancy.branding_logos WHERE tenant_id = @t", ("t", biz.Id)), version);
    }

    [Fact]
    public async Task The_portal_links_the_logo_by_its_version_which_browsers_keep_and_a_new_logo_gets_a_new_address()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var anonymous = shared.App.NewClient();
        var first = await (await biz.Owner.PutAsync(new Uri("/api/v1/admin/branding/logo", UriKind.Relative), Upload(LogoImages.Png(4, 4), "l.png", "image/png")))
            .JsonAsync(HttpStatusCode.OK);
        var version = first.GetProperty("logoVersion").GetString()!;
        var served = await anonymous.GetAsync(new Uri($"/branding/logo?name={biz.Slug}", UriKind.Relative));
        Assert.Equal($"\"{version}\"", served.Headers.ETag!.Tag);

        // The portal's pages and the settings name the versioned address; that address may be kept for good.
        var page = await anonymous.GetStringAsync(new Uri($"/ol/book?name={biz.Slug}", UriKind.Relative));
        Assert.Contains($"/branding/logo?name={biz.Slug}&amp;v={version}", page, StringComparison.Ordinal);
        var facts = await (await anonymous.GetAsync(new Uri($"/api/v1/portal/business?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(version, facts.GetProperty("branding").GetProperty("logoVersion").GetString());
        var kept = await anonymous.GetAsync(new Uri($"/branding/logo?name={biz.Slug}&v={version}", UriKind.Relative));
        Assert.Equal(TimeSpan.FromDays(365), kept.Headers.CacheControl!.MaxAge);
        Assert.Contains("immutable", kept.Headers.CacheControl.ToString(), StringComparison.Ordinal);

        // A new logo: a new version in the page, and the old address is no longer one to keep.
        var second = await (await biz.Owner.PutAsync(new Uri("/api/v1/admin/branding/logo", UriKind.Relative), Upload(LogoImages.JpegLike(), "l.jpg", "image/jpeg")))
            .JsonAsync(HttpStatusCode.OK);
        var newVersion = second.GetProperty("logoVersion").GetString()!;
        Assert.NotEqual(version, newVersion);
        Assert.Contains($"&amp;v={newVersion}", await anonymous.GetStringAsync(new Uri($"/ol/book?name={biz.Slug}", UriKind.Relative)), StringComparison.Ordinal);
        var stale = await anonymous.GetAsync(new Uri($"/branding/logo?name={biz.Slug}&v={version}", UriKind.Relative));
        Assert.Equal("image/jpeg", stale.Content.Headers.ContentType!.MediaType);
        Assert.Equal(TimeSpan.FromMinutes(5), stale.Headers.CacheControl!.MaxAge);
        Assert.DoesNotContain("immutable", stale.Headers.CacheControl.ToString(), StringComparison.Ordinal);

        var removed = await (await biz.Owner.DeleteAsync(new Uri("/api/v1/admin/branding/logo", UriKind.Relative))).Content.ReadAsStringAsync();
        Assert.Empty(removed);
        Assert.DoesNotContain("/branding/logo", await anonymous.GetStringAsync(new Uri($"/ol/book?name={biz.Slug}", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("svg")]
    [InlineData("svg-renamed-png")]
    [InlineData("html")]
    [InlineData("gif")]
    [InlineData("oversize-png")]
    [InlineData("empty")]
    public async Task Anything_but_a_small_png_jpeg_or_webp_is_a_validation_problem_on_logo(string kind)
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var (bytes, name, type) = kind switch
        {
            "svg" => (LogoImages.Svg(), "logo.svg", "image/svg+xml"),
            "svg-renamed-png" => (LogoImages.Svg(), "logo.png", "image/png"),
            "html" => ("<html><script>alert(1)</script></html>"u8.ToArray(), "logo.jpg", "image/jpeg"),
            "gif" => ("GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;"u8.ToArray(), "logo.gif", "image/gif"),
            "oversize-png" => ([.. LogoImages.Png(), .. new byte[1024 * 1024]], "big.png", "image/png"),
            _ => (Array.Empty<byte>(), "empty.png", "image/png"),
        };

        var problem = await (await biz.Owner.PutAsync(new Uri("/api/v1/admin/branding/logo", UriKind.Relative), Upload(bytes, name, type)))
            .JsonAsync(HttpStatusCode.BadRequest);

        Assert.Equal("validation", problem.Kind());
        Assert.Equal(["logo"], problem.ErrorFields());
        var message = problem.GetProperty("errors").GetProperty("logo")[0].GetString()!;
        Assert.Contains(kind == "oversize-png" ? "1 MB" : kind == "empty" ? "Choose" : "PNG, JPEG or WebP", message, StringComparison.Ordinal);
        var settings = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.False(settings.GetProperty("branding").GetProperty("hasLogo").GetBoolean());
    }

    [Fact]
    public async Task Only_owners_and_admins_of_the_business_upload_and_each_business_serves_its_own_logo()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var other = await shared.App.SignUpBusinessAsync();
        var practitioner = await shared.App.SignInPractitionerAsync(biz);
        var refused = await (await practitioner.PutAsync(new Uri("/api/v1/admin/branding/logo", UriKind.Relative), Upload(LogoImages.Png(), "l.png", "image/png")))
            .JsonAsync(HttpStatusCode.Forbidden);
        Assert.Equal("forbidden", refused.Kind());
        var anonymous = await shared.App.NewClient().PutAsync(new Uri("/api/v1/admin/branding/logo", UriKind.Relative), Upload(LogoImages.Png(), "l.png", "image/png"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var json = await biz.Owner.PutAsync(new Uri("/api/v1/admin/branding/logo", UriKind.Relative), new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);

        var red = LogoImages.Png(r: 0xff, g: 0, b: 0);
        var blue = LogoImages.Png(r: 0, g: 0, b: 0xff);
        await (await biz.Owner.PutAsync(new Uri("/api/v1/admin/branding/logo", UriKind.Relative), Upload(red, "l.png", "image/png"))).JsonAsync(HttpStatusCode.OK);
        await (await other.Owner.PutAsync(new Uri("/api/v1/admin/branding/logo", UriKind.Relative), Upload(blue, "l.png", "image/png"))).JsonAsync(HttpStatusCode.OK);
        var client = shared.App.NewClient();
        Assert.Equal(red, await client.GetByteArrayAsync(new Uri($"/branding/logo?name={biz.Slug}", UriKind.Relative)));
        Assert.Equal(blue, await client.GetByteArrayAsync(new Uri($"/branding/logo?name={other.Slug}", UriKind.Relative)));
        await (await client.GetAsync(new Uri("/branding/logo?name=no-such-business-here", UriKind.Relative))).JsonAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_logo_uploaded_before_versions_gets_its_version_from_the_backfill_migration()
    {
        // Its own database: migrating down drops every later migration's tables, and migrating up again makes them
        // without the migrator's row-level security and grants, so the shared app's tests would fail on them.
        await using var app = new BookingApp(await TestDatabaseServer.CreateDatabaseAsync("backfill"));
        var biz = await app.SignUpBusinessAsync();
        var other = await app.SignUpBusinessAsync();
        var uploaded = await (await biz.Owner.PutAsync(new Uri("/api/v1/admin/branding/logo", UriKind.Relative), Upload(LogoImages.Png(3, 3), "logo.png", "image/png")))
            .JsonAsync(HttpStatusCode.OK);
        var version = uploaded.GetProperty("logoVersion").GetString()!;
        var db = app.Database.Database;
        // As it was before the LogoVersion migration: a logo, and no version.
        await Sql.AdminExecAsync(db, "UPDATE tenancy.portal_settings SET logo_version = NULL WHERE tenant_id = @t", ("t", biz.Id));

        var module = app.Services.GetServices<IModuleDatabase>().Single(m => m.ContextType == typeof(TenancyDbContext));
        await using (var tenancy = module.Create(app.Services, app.Database.OwnerConnectionString))
        {
            var migrator = tenancy.GetInfrastructure().GetRequiredService<IMigrator>();
            await migrator.MigrateAsync("20261202025455_LogoVersion");
            await migrator.MigrateAsync();
        }

        Assert.Equal(version, await Sql.AdminScalarAsync<string>(db, "SELECT logo_version FROM tenancy.portal_settings WHERE tenant_id = @t", ("t", biz.Id)));
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(db, "SELECT count(*) FROM tenancy.portal_settings WHERE tenant_id = @t AND logo_version IS NOT NULL", ("t", other.Id)));
        // The tables are forced again: the owner sees no tenant's rows.
        Assert.Equal(0L, await Sql.ScalarAsync<long>(app.Database.OwnerConnectionString, "SELECT count(*) FROM tenancy.portal_settings"));
    }
}
