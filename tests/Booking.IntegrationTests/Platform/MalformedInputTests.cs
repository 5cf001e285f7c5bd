using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.Platform;

/// <summary>
/// Bad input gets a clear error, never a 500: this walks every operation of the OpenAPI document, as the business's
/// owner and as one of its clients, and sends it malformed ids, query values and bodies (each field of a body that
/// is otherwise well formed set to a wrong type, an extreme value or nothing).
/// </summary>
public sealed class MalformedInputTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private static readonly JsonNode?[] BadValues =
    [
        null, "", new string('x', 5000), -1, 0, 1e308, long.MaxValue, 1.5, true, new JsonArray(), new JsonObject(),
        "not-a-guid", Guid.Empty.ToString(), "0001-01-01T00:00:00Z", "9999-12-31T23:59:59+14:00", "2026-13-45", "25:00",
        "<script>alert(1)</script>", "ＡＢＣ", "+6140000000000000000",
    ];

    private static readonly string[] BadQueryValues = ["x", "-1", "99999999999999999999", "2026-02-30", "any", "%00"];

    private static readonly string[] BadIds = ["x", "1" + new string('0', 300), Guid.Empty.ToString()];

    [Fact]
    public async Task No_API_operation_answers_5xx_to_malformed_ids_query_values_or_bodies()
    {
        var b = await shared.App.BookableAsync();
        var client = await shared.App.RegisterClientAsync(b.Biz, "Malformed", "Input");
        using var document = JsonDocument.Parse(await shared.App.NewClient().GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        var failures = new List<string>();
        var sent = 0;
        var operations = 0;

        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var method = new HttpMethod(operation.Name.ToUpperInvariant());
                if (method != HttpMethod.Get && method != HttpMethod.Post && method != HttpMethod.Put && method != HttpMethod.Delete && method != HttpMethod.Patch
                    || path.Name.Contains("sign-out", StringComparison.Ordinal))
                {
                    continue; // signing out would end the callers' sessions for the rest of the walk
                }

                operations++;
                var parameters = operation.Value.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
                var pathParameters = parameters.Where(x => x.GetProperty("in").GetString() == "path").Select(x => x.GetProperty("name").GetString()!).ToList();
                var queryParameters = parameters.Where(x => x.GetProperty("in").GetString() == "query").Select(x => x.GetProperty("name").GetString()!).ToList();
                string Url(string? badId = null, string? query = null)
                {
                    var url = path.Name;
                    foreach (var name in pathParameters)
                    {
                        url = url.Replace("{" + name + "}", badId ?? Guid.NewGuid().ToString(), StringComparison.Ordinal);
                    }

                    return url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + $"name={b.Biz.Slug}" + (query is null ? "" : "&" + query);
                }

                var urls = new List<string> { Url() };
                urls.AddRange(pathParameters.Count > 0 ? BadIds.Select(id => Url(badId: id)) : []);
                urls.AddRange(queryParameters.SelectMany(q => BadQueryValues.Select(v => Url(query: $"{q}={v}"))));

                var bodies = new List<string>();
                if (operation.Value.TryGetProperty("requestBody", out var requestBody)
                    && requestBody.GetProperty("content").TryGetProperty("application/json", out var json))
                {
                    var sample = Sample(json.GetProperty("schema"), schemas, 0);
                    bodies.AddRange(["{}", "[]", "\"x\"", "null", "{", "[" + new string('[', 2000)]);
                    if (sample is JsonObject fields)
                    {
                        foreach (var field in fields.Select(f => f.Key).ToList())
                        {
                            foreach (var bad in BadValues)
                            {
                                var copy = (JsonObject)fields.DeepClone();
                                copy[field] = bad?.DeepClone();
                                bodies.Add(copy.ToJsonString());
                            }
                        }
                    }
                }

                foreach (var (who, http) in new[] { ("owner", b.Biz.Owner), ("client", client.Http) })
                {
                    foreach (var url in urls)
                    {
                        using var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative));
                        if (bodies.Count > 0)
                        {
                            request.Content = new StringContent("{}", Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
                        }

                        sent++;
                        using var response = await http.SendAsync(request);
                        if ((int)response.StatusCode >= 500)
                        {
                            failures.Add($"{who} {method} {url}: {(int)response.StatusCode}");
                        }
                    }

                    foreach (var body in bodies)
                    {
                        using var request = new HttpRequestMessage(method, new Uri(Url(), UriKind.Relative))
                        {
                            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
                        };
                        sent++;
                        using var response = await http.SendAsync(request);
                        if ((int)response.StatusCode >= 500)
                        {
                            failures.Add($"{who} {method} {path.Name} {body[..Math.Min(200, body.Length)]}: {(int)response.StatusCode}");
                        }
                    }
                }
            }
        }

        Assert.True(operations >= 60, $"only {operations} operations in the document");
        Assert.True(sent >= 5000, $"only {sent} requests sent");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} answered 5xx:\n{string.Join("\n", failures.Take(40))}");
    }

    [Fact]
    public async Task An_empty_or_null_body_is_told_in_the_callers_words_not_the_frameworks()
    {
        var b = await shared.App.BookableAsync();
        using var document = JsonDocument.Parse(await shared.App.NewClient().GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var refused = 0;
        var failures = new List<string>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject().Where(p => !p.Name.Contains("sign-out", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (!operation.Value.TryGetProperty("requestBody", out var requestBody)
                    || !requestBody.GetProperty("content").TryGetProperty("application/json", out _))
                {
                    continue;
                }

                var url = System.Text.RegularExpressions.Regex.Replace(path.Name, "{[^}]+}", Guid.NewGuid().ToString()) + $"?name={b.Biz.Slug}";
                foreach (var body in new[] { "", "null" })
                {
                    using var request = new HttpRequestMessage(new HttpMethod(operation.Name.ToUpperInvariant()), new Uri(url, UriKind.Relative))
                    {
                        Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
                    };
                    using var response = await b.Biz.Owner.SendAsync(request);
                    var text = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != System.Net.HttpStatusCode.BadRequest || !text.Contains("\"body\"", StringComparison.Ordinal))
                    {
                        continue; // refused for another reason first (a role, a missing id), or the body is optional
                    }

                    refused++;
                    var messages = JsonNode.Parse(text)!["errors"]!["body"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
                    if (messages.SequenceEqual(["Send a JSON object as the request's body."]))
                    {
                        continue;
                    }

                    failures.Add($"{operation.Name} {path.Name} '{body}': {string.Join(" | ", messages)}");
                }
            }
        }

        Assert.True(refused >= 20, $"only {refused} empty or null bodies refused on body");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>A well-formed value for a schema (the walk then spoils one field at a time).</summary>
    private static JsonNode? Sample(JsonElement schema, JsonElement schemas, int depth)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            return Sample(schemas.GetProperty(reference.GetString()!.Split('/')[^1]), schemas, depth);
        }

        foreach (var choice in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (schema.TryGetProperty(choice, out var options))
            {
                var first = options.EnumerateArray().FirstOrDefault(o => !(o.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null"));
                return first.ValueKind == JsonValueKind.Undefined ? null : Sample(first, schemas, depth);
            }
        }

        var type = schema.TryGetProperty("type", out var typeElement)
            ? typeElement.ValueKind == JsonValueKind.Array
                ? typeElement.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null")
                : typeElement.GetString()
            : schema.TryGetProperty("properties", out _) ? "object" : "string";
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        switch (type)
        {
            case "object":
                var node = new JsonObject();
                if (depth < 4 && schema.TryGetProperty("properties", out var properties))
                {
                    foreach (var property in properties.EnumerateObject())
                    {
                        node[property.Name] = Sample(property.Value, schemas, depth + 1);
                    }
                }

                return node;
            case "array":
                return depth < 4 && schema.TryGetProperty("items", out var items) ? new JsonArray(Sample(items, schemas, depth + 1)) : new JsonArray();
            case "integer":
                return 1;
            case "number":
                return 1.5;
            case "boolean":
                return true;
            default:
                return format switch
                {
                    "uuid" => Guid.NewGuid().ToString(),
                    "date-time" => "2026-12-09T10:00:00+11:00",
                    "date" => "2026-12-09",
                    _ => "text",
                };
        }
    }
}
