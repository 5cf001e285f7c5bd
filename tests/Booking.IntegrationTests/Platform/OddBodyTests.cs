using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Booking.BuildingBlocks.Problems;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.Platform;

/// <summary>
/// Bodies the API cannot read are refused in words, never a 500 (decision 309): a JSON body in a charset nobody knows →
/// 415 <c>unsupported-media-type</c> on every JSON route, signed in or not; a form the two hand-read form routes (the
/// anonymous one-click unsubscribe, the logo upload) cannot parse → 400 <c>validation</c> on <c>body</c>.
/// </summary>
public sealed class OddBodyTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string kind, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{what}: expected {(int)status}, got {(int)response.StatusCode}: {body[..Math.Min(body.Length, 600)]}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(kind, problem.GetProperty("type").GetString()!.Split('/')[^1]);
        return problem;
    }

    private static StringContent Json(string json, string charset)
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"application/json; charset={charset}");
        return content;
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("utf-7")]
    public async Task A_JSON_body_in_an_unknown_charset_is_415_on_every_JSON_route_signed_in_or_not(string charset)
    {
        var biz = await shared.App.SignUpBusinessAsync("charset-" + charset.Replace("-", "", StringComparison.Ordinal));
        var anon = shared.App.NewClient();

        // The findings' own: anonymous sign-in and sign-up.
        var signIn = await ProblemAsync(await anon.PostAsync(new Uri($"/api/v1/portal/auth/sign-in?name={biz.Slug}", UriKind.Relative),
            Json("""{"email":"a@example.com","password":"x"}""", charset)), HttpStatusCode.UnsupportedMediaType, "unsupported-media-type", "sign-in");
        Assert.Contains($"\"{charset}\"", signIn.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("UTF-8", signIn.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAsync(await anon.PostAsync(new Uri("/api/v1/tenants", UriKind.Relative), Json("{}", charset)),
            HttpStatusCode.UnsupportedMediaType, "unsupported-media-type", "sign-up");

        // Every operation of the document that takes a JSON body, anonymous and as the owner.
        using var document = JsonDocument.Parse(await anon.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var failures = new List<string>();
        var sent = 0;
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (!operation.Value.TryGetProperty("requestBody", out var requestBody)
                    || !requestBody.GetProperty("content").TryGetProperty("application/json", out _))
                {
                    continue;
                }

                var url = System.Text.RegularExpressions.Regex.Replace(path.Name, "\\{[^}]+\\}", Guid.NewGuid().ToString()) + $"?name={biz.Slug}";
                foreach (var caller in new[] { anon, biz.Owner })
                {
                    using var request = new HttpRequestMessage(new HttpMethod(operation.Name.ToUpperInvariant()), new Uri(url, UriKind.Relative)) { Content = Json("{}", charset) };
                    var response = await caller.SendAsync(request);
                    sent++;
                    if (response.StatusCode != HttpStatusCode.UnsupportedMediaType)
                    {
                        failures.Add($"{operation.Name.ToUpperInvariant()} {path.Name} ({(caller == anon ? "anonymous" : "owner")}): {(int)response.StatusCode}");
                    }
                }
            }
        }

        Assert.True(sent > 40, $"only {sent} requests");
        Assert.True(failures.Count == 0, string.Join('\n', failures));

        // A charset .NET knows is read as before: the same sign-in in UTF-16 is a wrong password, not a refusal.
        var utf16 = new StringContent("""{"email":"a@example.com","password":"x"}""", Encoding.Unicode, "application/json");
        var wrong = await anon.PostAsync(new Uri($"/api/v1/portal/auth/sign-in?name={biz.Slug}", UriKind.Relative), utf16);
        Assert.NotEqual(HttpStatusCode.UnsupportedMediaType, wrong.StatusCode);
        Assert.True((int)wrong.StatusCode < 500, $"UTF-16 sign-in: {(int)wrong.StatusCode}");
    }

    private static async Task AssertFormNotReadAsync(HttpResponseMessage response, string what, string reason)
    {
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest, "validation", what);
        var message = problem.GetProperty("errors").GetProperty("body")[0].GetString()!;
        Assert.StartsWith("The form could not be read, so nothing was saved: ", message, StringComparison.Ordinal);
        Assert.Contains(reason, message, StringComparison.Ordinal);
    }

    private static ByteArrayContent Raw(string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    private static string ManyFields(int count) => string.Join('&', Enumerable.Range(0, count).Select(i => $"f{i}=x"));

    private static string Multipart(string boundary, IEnumerable<string> parts, bool close = true) =>
        string.Concat(parts.Select(p => $"--{boundary}\r\n{p}\r\n")) + (close ? $"--{boundary}--\r\n" : "");

    [Fact]
    public async Task The_anonymous_one_click_unsubscribe_answers_a_form_it_cannot_read_with_400_never_500()
    {
        var biz = await shared.App.SignUpBusinessAsync("odd-unsubscribe");
        var anon = shared.App.NewClient();
        var url = new Uri($"/api/v1/unsubscribe?name={biz.Slug}&token=abc", UriKind.Relative);

        await AssertFormNotReadAsync(await anon.PostAsync(url, Raw("garbage", "multipart/form-data")), "multipart without boundary", "boundary");
        await AssertFormNotReadAsync(await anon.PostAsync(url, Raw("garbage", "multipart/form-data; boundary=xyz")), "multipart garbage", "ended before its last part");
        await AssertFormNotReadAsync(await anon.PostAsync(url, Raw(ManyFields(2000) + "&List-Unsubscribe=One-Click", "application/x-www-form-urlencoded")),
            "2,000 fields", "more fields or parts than a form may have");

        // A well-formed form is still read: the token is not one we sent.
        Assert.Equal(HttpStatusCode.NotFound, (await anon.PostAsync(url, Raw("List-Unsubscribe=One-Click", "application/x-www-form-urlencoded"))).StatusCode);
    }

    [Fact]
    public async Task The_logo_upload_answers_a_form_it_cannot_read_with_400_and_keeps_no_logo()
    {
        var biz = await shared.App.SignUpBusinessAsync("odd-logo");
        var url = new Uri("/api/v1/admin/branding/logo", UriKind.Relative);
        Task<HttpResponseMessage> Put(HttpContent content) => biz.Owner.PutAsync(url, content);
        const string B = "b0undary";
        var file = "Content-Disposition: form-data; name=\"logo\"; filename=\"logo.png\"\r\nContent-Type: image/png\r\n\r\n\u0089PNG";

        await AssertFormNotReadAsync(await Put(Raw(Multipart(B, Enumerable.Range(0, 1100).Select(i => $"Content-Disposition: form-data; name=\"f{i}\"\r\n\r\nx")), $"multipart/form-data; boundary={B}")),
            "1,100 parts", "more fields or parts than a form may have");
        await AssertFormNotReadAsync(await Put(Raw(Multipart(B, [file]), "multipart/form-data")), "no boundary", "boundary");
        await AssertFormNotReadAsync(await Put(Raw(Multipart(B, [file], close: false), $"multipart/form-data; boundary={B}")), "truncated", "ended before its last part");
        await AssertFormNotReadAsync(await Put(Raw(Multipart(B, [$"Content-Disposition: form-data; name=\"logo\"; filename=\"{new string('a', 17 * 1024)}.png\"\r\n\r\nx"]), $"multipart/form-data; boundary={B}")),
            "a part header over 16 KB", "larger than a form takes");
        await AssertFormNotReadAsync(await Put(Raw("logo=" + new string('x', 4 * 1024 * 1024 + 10), "application/x-www-form-urlencoded")),
            "a value over 4 MB", "larger than a form takes");

        var settings = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.False(settings.GetProperty("branding").GetProperty("hasLogo").GetBoolean());
    }

    /// <summary>Only the form readers' own exceptions are the client's doing; any other IO error stays a 500.</summary>
    [Fact]
    public void Other_IO_errors_are_not_taken_for_an_unreadable_form()
    {
        Assert.Null(ProblemWriter.FormUnreadable(new IOException("Unexpected end of Stream")));
        Assert.Null(ProblemWriter.FormUnreadable(new InvalidDataException("Form value count limit 1024 exceeded.")));
        Exception thrown;
        try
        {
            File.ReadAllBytes(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "missing"));
            throw new InvalidOperationException("unreachable");
        }
        catch (IOException ex)
        {
            thrown = ex;
        }

        Assert.Null(ProblemWriter.FormUnreadable(thrown));
        Assert.Equal(500, ProblemWriter.From(thrown, out _).Status);
    }
}
