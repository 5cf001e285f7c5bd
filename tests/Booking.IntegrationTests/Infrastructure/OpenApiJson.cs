using System.Text.Json;

namespace Booking.IntegrationTests.Infrastructure;

/// <summary>
/// The running app's OpenAPI document (<c>/openapi/v1.json</c>), fetched anonymously and parsed, with its operations
/// walked path by path: the one fetch the contract tests share (<c>OpenApiDocsAgreeTests</c>,
/// <c>OpenApiProblemAnswersTests</c>), each reading what it needs of every operation. Dispose it when done: the
/// elements live in the parsed document.
/// </summary>
public sealed class OpenApiJson : IDisposable
{
    private readonly JsonDocument document;

    private OpenApiJson(string text)
    {
        Text = text;
        document = JsonDocument.Parse(text);
    }

    /// <summary>The document as the app served it.</summary>
    public string Text { get; }

    public JsonElement Root => document.RootElement;

    public static async Task<OpenApiJson> FetchAsync(BookingApp app)
    {
        using var client = app.NewClient();
        return new OpenApiJson(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
    }

    /// <summary>Every operation: its method as the document spells it (lower case), its path template, and the operation object.</summary>
    public IEnumerable<(string Method, string Path, JsonElement Operation)> Operations()
    {
        foreach (var path in Root.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in path.Value.EnumerateObject())
            {
                yield return (method.Name, path.Name, method.Value);
            }
        }
    }

    public void Dispose() => document.Dispose();
}
