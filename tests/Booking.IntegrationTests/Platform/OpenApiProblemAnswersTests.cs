using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.Platform;

/// <summary>
/// The OpenAPI document names, under each error status, the problem kinds an operation may answer with: what a
/// front end built from the document has to handle. Checked for every operation by its route family, not a sample.
/// </summary>
public sealed class OpenApiProblemAnswersTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task Every_portal_operation_but_the_business_facts_and_sign_out_declares_portal_disabled()
    {
        var operations = await OperationsAsync();
        var portal = operations.Where(o => o.Path.StartsWith("/api/v1/portal/", StringComparison.Ordinal)
            && o.Path != "/api/v1/portal/business" && o.Path != "/api/v1/portal/auth/sign-out").ToList();
        Assert.True(portal.Count >= 15, $"only {portal.Count} portal operations found");
        foreach (var operation in portal)
        {
            Assert.Contains("`portal-disabled`", operation.Description(403));
        }
    }

    [Fact]
    public async Task Every_signed_in_operation_declares_unauthenticated_and_tenant_mismatch_and_setup_routes_forbidden()
    {
        var operations = await OperationsAsync();
        var admin = operations.Where(o => o.Path.StartsWith("/api/v1/admin/", StringComparison.Ordinal)).ToList();
        Assert.True(admin.Count >= 30, $"only {admin.Count} admin operations found");
        foreach (var operation in admin)
        {
            Assert.Contains("`unauthenticated`", operation.Description(401));
            Assert.Contains("`tenant-mismatch`", operation.Description(403));
        }

        // Setup is for owners and admins; the diary view is open to every role.
        Assert.Contains("`forbidden`", operations.Single(o => o.Is("put", "/api/v1/admin/booking-rules")).Description(403));
        Assert.DoesNotContain("`forbidden`", operations.Single(o => o.Is("get", "/api/v1/admin/diary")).Description(403));
        Assert.Contains("`tenant-mismatch`", operations.Single(o => o.Is("get", "/api/v1/portal/me")).Description(403));
    }

    [Fact]
    public async Task Booking_lists_its_own_kinds_beside_the_gates_and_a_JSON_body_answers_415()
    {
        var operations = await OperationsAsync();
        var book = operations.Single(o => o.Is("post", "/api/v1/portal/appointments"));
        Assert.Equal(
            "Forbidden; problem kinds: `access-level-off`, `portal-disabled`, `tenant-mismatch`.",
            book.Description(403));
        Assert.Contains("`slot-conflict`", book.Description(409));
        Assert.Contains("`slot-unavailable`", book.Description(409));
        Assert.Contains("`idempotency-key-reuse`", book.Description(422));
        Assert.Contains("`unsupported-media-type`", book.Description(415));
        Assert.Equal("application/problem+json", book.ContentTypes(403).Single());
        Assert.Equal("#/components/schemas/ProblemDetails", book.Schema(403));

        var availability = operations.Single(o => o.Is("get", "/api/v1/portal/availability"));
        Assert.Contains("`not-found`", availability.Description(404));
        Assert.Contains("`access-level-off`", availability.Description(403));
        Assert.Null(availability.Description(415));
        Assert.Null(availability.Description(401));
    }

    [Fact]
    public async Task Every_operation_with_a_path_id_declares_not_found_and_every_JSON_body_declares_validation()
    {
        var operations = await OperationsAsync();
        var withId = operations.Where(o => o.Path.Contains('{', StringComparison.Ordinal)).ToList();
        Assert.True(withId.Count >= 25, $"only {withId.Count} operations with a path parameter found");
        Assert.All(withId, o => Assert.Contains("`not-found`", o.Description(404) ?? $"{o.Method} {o.Path}: no 404"));

        var withBody = operations.Where(o => o.HasJsonBody).ToList();
        Assert.True(withBody.Count >= 25, $"only {withBody.Count} operations with a JSON body found");
        Assert.All(withBody, o => Assert.Contains("`validation`", o.Description(400) ?? $"{o.Method} {o.Path}: no 400"));
    }

    [Fact]
    public async Task Staff_operations_list_their_handlers_own_kinds()
    {
        var operations = await OperationsAsync();
        var book = operations.Single(o => o.Is("post", "/api/v1/admin/appointments"));
        Assert.Equal(
            "Conflict; problem kinds: `changed-meanwhile`, `idempotency-in-progress`, `slot-conflict`, `slot-unavailable`.",
            book.Description(409));
        Assert.Contains("`idempotency-key-reuse`", book.Description(422));
        Assert.Contains("`rate-limited`", book.Description(429));
        Assert.Contains("`booking-not-saved`", book.Description(503));

        Assert.Contains("`last-owner`", operations.Single(o => o.Is("delete", "/api/v1/admin/staff/{id}")).Description(409));
        Assert.Contains("`last-owner`", operations.Single(o => o.Is("put", "/api/v1/admin/staff/{id}")).Description(409));
        Assert.Contains("`already-sent`", operations.Single(o => o.Is("post", "/api/v1/admin/messages/{id}/resend")).Description(409));
        Assert.Contains("`changed-meanwhile`", operations.Single(o => o.Is("post", "/api/v1/admin/requests/{id}/accept")).Description(409));
        Assert.Contains("`changed-meanwhile`", operations.Single(o => o.Is("put", "/api/v1/admin/portal-settings")).Description(409));

        var signIn = operations.Single(o => o.Is("post", "/api/v1/staff/auth/sign-in"));
        Assert.Contains("`unauthenticated`", signIn.Description(401));
        Assert.Contains("`rate-limited`", signIn.Description(429));
        Assert.Equal(["204"], operations.Single(o => o.Is("post", "/api/v1/staff/auth/sign-out")).Responses.Keys.Where(k => k.StartsWith('2')).ToArray());

        var logo = operations.Single(o => o.Is("put", "/api/v1/admin/branding/logo"));
        Assert.Contains("`validation`", logo.Description(400));
        var diary = operations.Single(o => o.Is("get", "/api/v1/admin/diary"));
        Assert.Contains("`validation`", diary.Description(400));
        Assert.Contains("`not-found`", diary.Description(404));
    }

    [Fact]
    public async Task Portal_operations_declare_what_their_handlers_answer_and_nothing_they_cannot()
    {
        // Decision 315: kinds the handlers answer that the document once left out, and one it named that cannot happen.
        var operations = await OperationsAsync();
        var start = operations.Single(o => o.Is("post", "/api/v1/portal/me/mobile/start"));
        Assert.Contains("`invalid-code`", start.Description(400)); // a wrong current-mobile code
        Assert.Equal("Gone; problem kinds: `attempt-expired`.", start.Description(410)); // a dead current-mobile attempt

        var cancel = operations.Single(o => o.Is("post", "/api/v1/portal/appointments/{id}/cancel"));
        Assert.Contains("`already-happened`", cancel.Description(409));
        Assert.Contains("`cancellation-declined`", cancel.Description(409));

        Assert.Contains("`unsubscribed`", operations.Single(o => o.Is("post", "/api/v1/admin/messages/{id}/resend")).Description(409));

        // No session, so no role or first-request gate: only the portal's switch refuses it with 403.
        Assert.Equal("Forbidden; problem kinds: `portal-disabled`.", operations.Single(o => o.Is("post", "/api/v1/portal/auth/confirm-email")).Description(403));
    }

    [Fact]
    public async Task Every_body_declares_413_with_its_routes_own_limit_and_every_api_query_a_repeated_key()
    {
        // Decision 298's answers, per operation (decision 305): the limit is the one the request meets (the endpoint's
        // metadata or the configured default), stated in the 413's words and its example problem's maxBytes.
        var operations = await OperationsAsync();
        var withBody = operations.Where(o => o.HasBody).ToList();
        Assert.True(withBody.Count >= 50, $"only {withBody.Count} operations with a body found");
        foreach (var operation in withBody)
        {
            var limit = operation.Is("put", "/api/v1/admin/branding/logo")
                ? Booking.Tenancy.Features.Branding.UploadLogo.MaxRequestBytes
                : Booking.Host.Web.RequestBodyLimits.Default;
            var bytes = limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var description = operation.Description(413) ?? $"{operation.Method} {operation.Path}: no 413";
            Assert.StartsWith("Payload Too Large; problem kinds: `content-too-large`.", description, StringComparison.Ordinal);
            Assert.Contains($"at most {(limit == Booking.Host.Web.RequestBodyLimits.Default ? "1 MB" : "8 MB")} ({bytes} bytes)", description, StringComparison.Ordinal);
            Assert.Equal("application/problem+json", operation.ContentTypes(413).Single());
            Assert.Equal("#/components/schemas/ProblemDetails", operation.Schema(413));
            Assert.Equal(limit, operation.MaxBytesExample(413));
        }

        Assert.Contains("(8388608 bytes)", operations.Single(o => o.Is("put", "/api/v1/admin/branding/logo")).Description(413));
        Assert.Contains("(1048576 bytes)", operations.Single(o => o.Is("post", "/api/v1/unsubscribe")).Description(413)); // a form body too
        Assert.All(operations.Where(o => !o.HasBody), o => Assert.Null(o.Description(413)));

        var withQuery = operations.Where(o => o.QueryKeys.Length > 0 && o.Path.StartsWith("/api/", StringComparison.Ordinal)).ToList();
        Assert.True(withQuery.Count >= 15, $"only {withQuery.Count} /api operations with query parameters found");
        foreach (var operation in withQuery)
        {
            var description = operation.Description(400) ?? $"{operation.Method} {operation.Path}: no 400";
            Assert.Matches("problem kinds: [^.]*`validation`", description);
            Assert.EndsWith("A query key given more than once is `validation` naming the key (\"Give one value.\").", description, StringComparison.Ordinal);
        }

        Assert.Contains("Give one value.", operations.Single(o => o.Is("get", "/api/v1/tenants/slug-check")).Description(400)); // declared nowhere else
        Assert.DoesNotContain("Give one value.", operations.Single(o => o.Is("get", "/branding/logo")).Description(400)); // not under /api
        Assert.DoesNotContain("Give one value.", operations.Single(o => o.Is("put", "/api/v1/admin/booking-rules")).Description(400)); // no query
    }

    [Fact]
    public async Task Every_schema_reference_names_a_schema_of_the_document()
    {
        using var document = await OpenApiJson.FetchAsync(shared.App);
        var schemas = document.Root.GetProperty("components").GetProperty("schemas").EnumerateObject().Select(s => s.Name).ToHashSet();
        var references = System.Text.RegularExpressions.Regex.Matches(document.Text, "\"#/components/schemas/([^\"]+)\"").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Contains("ProblemDetails", references);
        Assert.Empty(references.Except(schemas));
    }

    private async Task<List<Operation>> OperationsAsync()
    {
        using var document = await OpenApiJson.FetchAsync(shared.App);
        var operations = new List<Operation>();
        foreach (var (method, path, operation) in document.Operations())
        {
            var responses = new Dictionary<string, (string? Description, string[] ContentTypes, string? Schema)>();
            var maxBytes = new Dictionary<string, long>();
            if (operation.TryGetProperty("responses", out var declared))
            {
                foreach (var response in declared.EnumerateObject())
                {
                    var description = response.Value.TryGetProperty("description", out var d) ? d.GetString() : null;
                    var types = response.Value.TryGetProperty("content", out var c) ? c.EnumerateObject().ToArray() : [];
                    var schema = types.Length > 0 && types[0].Value.TryGetProperty("schema", out var s) && s.TryGetProperty("$ref", out var r) ? r.GetString() : null;
                    responses[response.Name] = (description, [.. types.Select(t => t.Name)], schema);
                    if (types.Length > 0 && types[0].Value.TryGetProperty("example", out var example) && example.TryGetProperty("maxBytes", out var max))
                    {
                        maxBytes[response.Name] = max.GetInt64();
                    }
                }
            }

            var hasBody = operation.TryGetProperty("requestBody", out var body);
            var jsonBody = hasBody && body.TryGetProperty("content", out var bodyTypes) && bodyTypes.TryGetProperty("application/json", out _);
            string[] queryKeys = operation.TryGetProperty("parameters", out var parameters)
                ? [.. parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!)]
                : [];
            operations.Add(new Operation(method, path, responses, jsonBody, hasBody, queryKeys, maxBytes));
        }

        return operations;
    }

    private sealed record Operation(
        string Method, string Path, Dictionary<string, (string? Description, string[] ContentTypes, string? Schema)> Responses, bool HasJsonBody,
        bool HasBody, string[] QueryKeys, Dictionary<string, long> MaxBytes)
    {
        public long? MaxBytesExample(int status) =>
            MaxBytes.TryGetValue(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var max) ? max : null;

        public bool Is(string method, string path) => Method == method && Path == path;

        public string? Description(int status) =>
            Responses.TryGetValue(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var r) ? r.Description : null;

        public string[] ContentTypes(int status) => Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)].ContentTypes;

        public string? Schema(int status) => Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)].Schema;
    }
}
