using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Notifications;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.Platform;

/// <summary>
/// Request shapes the API refuses in words (decision 298): a body over its route's limit (1 MB unless the route says
/// more) → 413 <c>content-too-large</c> naming the limit, a page form → the HTML error page saying so; a query key given
/// twice → 400 <c>validation</c> naming it. Over real HTTP on Kestrel: the in-process test server enforces no body limit.
/// </summary>
public sealed class RequestShapeTests(RequestShapeTests.KestrelApp fixture) : IClassFixture<RequestShapeTests.KestrelApp>
{
    private const int TwoMegabytes = 2 * 1024 * 1024;

    public sealed class KestrelApp : IAsyncLifetime
    {
        public BookingApp App { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            App = new BookingApp(await TestDatabaseServer.CreateDatabaseAsync("limits"));
            App.UseKestrel(0);
            await AppStarts.StartServerAsync(App);
            var address = App.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            App.ClientOptions.BaseAddress = new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal));
        }

        public async Task DisposeAsync() => await App.DisposeAsync();
    }

    private BookingApp App => fixture.App;

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string kind)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(kind, problem.GetProperty("type").GetString()!.Split('/')[^1]);
        return problem;
    }

    private static async Task AssertOneValueAsync(HttpResponseMessage response, string field)
    {
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.Equal(["Give one value."], problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()));
    }

    private static string Template(string body) => JsonSerializer.Serialize(new { name = "Big", subject = "Hello", body });

    private static async Task<bool> HasBigTemplateAsync(TestBusiness biz) =>
        (await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/templates", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetProperty("items")
        .EnumerateArray().Any(t => t.GetProperty("name").GetString() == "Big");

    [Fact]
    public async Task A_2_MB_JSON_body_is_refused_with_413_problem_details_naming_the_limit_whether_its_length_is_declared_or_not()
    {
        var biz = await App.SignUpBusinessAsync("limits-json");
        var huge = Template(new string('x', TwoMegabytes));

        // Content-Length declared: refused before anything reads it.
        using var declared = new StringContent(huge, Encoding.UTF8, "application/json");
        var problem = await ProblemAsync(await biz.Owner.PostAsync(new Uri("/api/v1/admin/templates", UriKind.Relative), declared), HttpStatusCode.RequestEntityTooLarge, "content-too-large");
        Assert.Contains("1 MB", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1024 * 1024, problem.GetProperty("maxBytes").GetInt64());

        // Chunked (no length): Kestrel cuts it off at the same limit while it is read; the same answer, never a reset.
        using var chunkedRequest = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/admin/templates", UriKind.Relative))
        {
            Content = new ChunkedContent(Encoding.UTF8.GetBytes(huge)),
        };
        var chunked = await biz.Owner.SendAsync(chunkedRequest);
        var cut = await ProblemAsync(chunked, HttpStatusCode.RequestEntityTooLarge, "content-too-large");
        Assert.Contains("1 MB", cut.GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.False(await HasBigTemplateAsync(biz));
    }

    [Fact]
    public async Task The_largest_legitimate_bodies_are_still_taken_and_the_logo_upload_has_its_own_larger_limit()
    {
        var biz = await App.SignUpBusinessAsync("limits-legit");

        // A template at its 20,000-character cap, every character escaped as \u003C: the largest JSON body the API reads.
        using var largest = new StringContent(Template(new string('<', 20_000)), Encoding.UTF8, "application/json");
        Assert.True(largest.Headers.ContentLength > 100_000);
        await (await biz.Owner.PostAsync(new Uri("/api/v1/admin/templates", UriKind.Relative), largest)).JsonAsync(HttpStatusCode.Created);

        // A logo a little over the 1 MB default: the upload's own words, not a 413.
        var tooBig = await UploadLogoAsync(biz, 1024 * 1024 + 200_000);
        var invalid = await ProblemAsync(tooBig, HttpStatusCode.BadRequest, "validation");
        Assert.Contains("larger than 1 MB", invalid.GetProperty("errors").GetProperty("logo")[0].GetString(), StringComparison.Ordinal);

        // Past the upload's own limit: 413 naming it, read by the client whole (the server drains what it refused, no reset).
        var huge = await ProblemAsync(await UploadLogoAsync(biz, 9 * 1024 * 1024), HttpStatusCode.RequestEntityTooLarge, "content-too-large");
        Assert.Contains("8 MB", huge.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> UploadLogoAsync(TestBusiness biz, int bytes)
    {
        var file = new ByteArrayContent(new byte[bytes]);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        var form = new MultipartFormDataContent { { file, "logo", "logo.png" } };
        return biz.Owner.PutAsync(new Uri("/api/v1/admin/branding/logo", UriKind.Relative), form);
    }

    [Fact]
    public async Task A_page_form_over_the_limit_shows_the_error_page_saying_so_and_saves_nothing()
    {
        var biz = await App.SignUpBusinessAsync("limits-page");
        var response = await StaffDiaryTests.PostPageAsync(biz.Owner, "/staff/setup/business", new Dictionary<string, string> { ["Input.Name"] = new string('x', TwoMegabytes) });

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("The form was larger than 1 MB", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        var business = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/business", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain("xxxx", business.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_key_given_twice_is_a_validation_problem_naming_it_on_every_kind_of_route()
    {
        var biz = await App.SignUpBusinessAsync("limits-query");
        var other = await App.SignUpBusinessAsync("limits-other");
        var anon = App.NewClient();

        // Public portal route: the values used to be comma-joined into one id, answering 404.
        await AssertOneValueAsync(await anon.GetAsync(new Uri($"/api/v1/portal/availability?name={biz.Slug}&service={Guid.NewGuid()}&service=junk", UriKind.Relative)), "service");
        // Two businesses named: never one picked (also with the key spelled differently).
        await AssertOneValueAsync(await anon.GetAsync(new Uri($"/api/v1/portal/business?name={biz.Slug}&name={other.Slug}", UriKind.Relative)), "name");
        await AssertOneValueAsync(await anon.GetAsync(new Uri($"/api/v1/portal/business?name={biz.Slug}&Name={other.Slug}", UriKind.Relative)), "name");
        // Staff list routes.
        await AssertOneValueAsync(await biz.Owner.GetAsync(new Uri("/api/v1/admin/clients?search=ann&search=bob", UriKind.Relative)), "search");
        await AssertOneValueAsync(await biz.Owner.GetAsync(new Uri("/api/v1/admin/closed-days?from=2026-01-01&to=2026-02-01&to=2026-03-01", UriKind.Relative)), "to");
        // Spelled differently: named as the route knows the key, not by its last spelling (was "nAME"), else by its first.
        await AssertOneValueAsync(await anon.GetAsync(new Uri($"/api/v1/portal/business?name={biz.Slug}&NAME={other.Slug}", UriKind.Relative)), "name");
        await AssertOneValueAsync(await anon.GetAsync(new Uri($"/api/v1/portal/business?NAME={biz.Slug}&name={other.Slug}", UriKind.Relative)), "name");
        await AssertOneValueAsync(await biz.Owner.GetAsync(new Uri("/api/v1/admin/clients?search=ann&SEARCH=bob", UriKind.Relative)), "search");
        await AssertOneValueAsync(await biz.Owner.GetAsync(new Uri("/api/v1/admin/clients?SEARCH=ann&Search=bob", UriKind.Relative)), "search");
        await AssertOneValueAsync(await biz.Owner.GetAsync(new Uri("/api/v1/admin/clients?Extra=1&EXTRA=2", UriKind.Relative)), "extra");
        // A single value still works.
        await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/clients?search=ann", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        await (await anon.GetAsync(new Uri($"/api/v1/portal/business?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
    }

    /// <summary>A route or page handler taking more than the default body is a decision: the list is pinned here.</summary>
    [Fact]
    public void Only_the_logo_upload_route_and_page_handler_take_a_body_over_the_default_limit()
    {
        var endpoints = App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var larger = endpoints
            .Where(r => r.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } limit
                && (limit.MaxRequestBodySize is null || limit.MaxRequestBodySize > Booking.Host.Web.RequestBodyLimits.Default))
            .Select(r => r.RoutePattern.RawText).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["/api/v1/admin/branding/logo"], larger);
        var handlers = endpoints
            .SelectMany(r => r.Metadata.GetOrderedMetadata<Booking.Host.Web.HandlerBodyLimitAttribute>().Select(h => $"{r.RoutePattern.RawText}?handler={h.Handler}: {h.Bytes}"))
            .Distinct().ToList();
        Assert.Equal([$"staff/setup/portal?handler=Logo: {Booking.Tenancy.Features.Branding.UploadLogo.MaxRequestBytes}"], handlers);
    }

    /// <summary>
    /// Setup → Client Portal is one page with several forms: only its logo form takes 8 MB (decision 309); its settings
    /// form keeps the 1 MB of every page form (decision 298). Before, the whole page took 8 MB before any handler ran.
    /// </summary>
    [Fact]
    public async Task The_portal_setup_page_takes_8_MB_for_the_logo_form_only()
    {
        var biz = await App.SignUpBusinessAsync("limits-portal-page");
        var page = await biz.Owner.GetStringAsync(new Uri("/staff/setup/portal", UriKind.Relative));
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);

        // A 3 MB settings form: the error page naming the 1 MB limit; nothing saved.
        using var settings = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Settings.CancellationPolicyText"] = new string('x', 3 * 1024 * 1024),
        });
        var refused = await biz.Owner.PostAsync(new Uri("/staff/setup/portal?handler=Settings", UriKind.Relative), settings);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Equal("text/html", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("The form was larger than 1 MB", html, StringComparison.Ordinal);

        // A 5 MB logo: read, and answered by the logo's own check on the page, not a 413.
        var file = new ByteArrayContent(new byte[5 * 1024 * 1024]);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var logo = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" }, { file, "Logo", "logo.png" } };
        var checkedLogo = await biz.Owner.PostAsync(new Uri("/staff/setup/portal?handler=Logo", UriKind.Relative), logo);
        html = WebUtility.HtmlDecode(await checkedLogo.Content.ReadAsStringAsync());
        Assert.True(checkedLogo.StatusCode == HttpStatusCode.OK, $"logo: {(int)checkedLogo.StatusCode}");
        Assert.Contains("The logo is larger than 1 MB; use a smaller image.", html, StringComparison.Ordinal);

        // Spelled otherwise, the handler is the same (Razor Pages ignore case): the same 8 MB.
        var lower = new ByteArrayContent(new byte[2 * 1024 * 1024]);
        lower.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var logo2 = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" }, { lower, "Logo", "logo.png" } };
        Assert.Equal(HttpStatusCode.OK, (await biz.Owner.PostAsync(new Uri("/staff/setup/portal?handler=logo", UriKind.Relative), logo2)).StatusCode);
    }

    /// <summary>Content without a length: sent chunked.</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly byte[] bytes;

        public ChunkedContent(byte[] bytes)
        {
            this.bytes = bytes;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
