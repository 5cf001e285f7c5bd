using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Booking.BuildingBlocks.Problems;

/// <summary>Turns every exception into problem details with a stable type; never a stack trace.</summary>
public sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
            ? ProblemWriter.ContentTooLarge(ProblemWriter.BodyLimit(httpContext)) // Kestrel cut a body off while it was read
            : ProblemWriter.From(exception, out _);
        if (problem.Status >= 500)
        {
            logger.LogError(exception, "Unhandled error");
        }

        if (exception is ProblemException { RetryAfterSeconds: { } retryAfter })
        {
            httpContext.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await ProblemWriter.WriteAsync(httpContext, problem);
        return true;
    }
}

public static partial class ProblemWriter
{
    public static ProblemDetails Create(string kind, int status, string title, string? detail = null) => new()
    {
        Type = ProblemKinds.Uri(kind),
        Status = status,
        Title = title,
        Detail = detail,
    };

    /// <summary>
    /// 413 <c>content-too-large</c>: the body is over its route's limit (decision 298); <c>maxBytes</c> and the detail
    /// name the limit when it is known.
    /// </summary>
    public static ProblemDetails ContentTooLarge(long? limit)
    {
        var problem = Create(ProblemKinds.ContentTooLarge, StatusCodes.Status413PayloadTooLarge, "Request body too large",
            limit is { } bytes
                ? $"The request body is larger than {Words(bytes)} ({bytes.ToString(System.Globalization.CultureInfo.InvariantCulture)} bytes), the most this route accepts. Nothing was read or changed."
                : "The request body is larger than this route accepts. Nothing was read or changed.");
        if (limit is { } max)
        {
            problem.Extensions["maxBytes"] = max;
        }

        return problem;
    }

    /// <summary>The same, thrown (a refusal before the body is read).</summary>
    public static ProblemException ContentTooLargeException(long limit)
    {
        var problem = ContentTooLarge(limit);
        var exception = new ProblemException(ProblemKinds.ContentTooLarge, problem.Status!.Value, problem.Title!, problem.Detail);
        exception.Extensions["maxBytes"] = limit;
        return exception;
    }

    /// <summary>The body limit the server holds for this request (the endpoint's, once routing has set it); null when unknown or none.</summary>
    public static long? BodyLimit(HttpContext context) =>
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;

    /// <summary>"1 MB", "8 MB", "512 KB": a limit in words.</summary>
    public static string Words(long bytes) =>
        bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MB"
        : bytes >= 1024 ? $"{bytes / 1024} KB" : $"{bytes} bytes";

    public static ProblemDetails From(Exception exception, out int? retryAfterSeconds)
    {
        retryAfterSeconds = null;
        switch (exception)
        {
            case ProblemException p:
                retryAfterSeconds = p.RetryAfterSeconds;
                var problem = Create(p.Kind, p.Status, p.Title, p.Detail);
                foreach (var (key, value) in p.Extensions)
                {
                    problem.Extensions[key] = value;
                }

                return problem;
            case ValidationException v:
                return Validation(v.Errors.GroupBy(e => JsonPath(e.PropertyName))
                    .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray()));
            case BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType }:
                return Create(ProblemKinds.UnsupportedMediaType, 415, "Unsupported media type", "Send the body as application/json.");
            case BadHttpRequestException b when b.InnerException is JsonException json:
                return Validation(new Dictionary<string, string[]>
                {
                    [JsonPath(json.Path ?? "body")] = [json is JsonFieldException field ? field.Text : NotExpected(json)],
                });
            case BadHttpRequestException b when UnboundParameter(b.Message) is { } parameter:
                return Validation(new Dictionary<string, string[]> { [parameter.Name] = [parameter.Message] });
            case BadHttpRequestException b when NoBody().IsMatch(b.Message):
                // An empty or a JSON null body: the framework's text is a hint to its programmer ("Did you mean to use a
                // Service instead?") and names the handler's parameter.
                return Validation(new Dictionary<string, string[]> { ["body"] = ["Send a JSON object as the request's body."] });
            case BadHttpRequestException b:
                return Validation(new Dictionary<string, string[]> { ["body"] = [b.Message] });
            case InvalidDataException or IOException when FormUnreadable(exception) is { } reason:
                return Validation(new Dictionary<string, string[]>
                {
                    ["body"] = [$"The form could not be read, so nothing was saved: {reason}"],
                });
            default:
                return Create(ProblemKinds.ServerError, 500, "Something went wrong", "The error was logged.");
        }
    }

    /// <summary>
    /// The words for a JSON value of the wrong type: an id field given something else (<c>"diaryId": "any"</c> where the
    /// route takes only an id) is told it needs an id; anything else "not valid JSON of the expected type". The reader's
    /// own message names the type it could not make (<c>System.Nullable`1[System.Guid]</c>), or its inner one the format
    /// ("not in a supported Guid format").
    /// </summary>
    private static string NotExpected(JsonException json) =>
        json.Message.Contains("System.Guid", StringComparison.Ordinal) || (json.InnerException?.Message.Contains("Guid", StringComparison.Ordinal) ?? false)
            ? "Give an id (a UUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6)."
            : "The value is not valid JSON of the expected type.";

    /// <summary>
    /// Why a form body a route reads by hand (<c>ReadFormAsync</c>) could not be read, in words; null when the exception
    /// did not come from reading a form. ASP.NET Core's form and multipart readers throw
    /// <see cref="InvalidDataException"/> for a body past their limits or without a boundary, and
    /// <see cref="IOException"/> for a multipart body that ends before its last boundary; those answered 500. Only an
    /// exception thrown by those readers themselves (its <see cref="Exception.TargetSite"/> in
    /// Microsoft.AspNetCore.WebUtilities or the form feature) is the client's doing: a connection reset, a disk or a
    /// database error stays a 500.
    /// </summary>
    public static string? FormUnreadable(Exception exception)
    {
        var thrower = exception.TargetSite?.DeclaringType;
        while (thrower?.DeclaringType is { } outer)
        {
            thrower = outer; // an async method's state machine: the class it belongs to
        }

        var fromFormReader = thrower?.Namespace == "Microsoft.AspNetCore.WebUtilities"
            || (exception is InvalidDataException && thrower?.FullName == "Microsoft.AspNetCore.Http.Features.FormFeature");
        var type = exception.GetType();
        if (!fromFormReader || (type != typeof(InvalidDataException) && type != typeof(IOException)))
        {
            return null;
        }

        var message = exception.Message;
        return message switch
        {
            _ when message.Contains("value count limit", StringComparison.OrdinalIgnoreCase) =>
                "it has more fields or parts than a form may have (1,024).",
            _ when message.Contains("boundary", StringComparison.OrdinalIgnoreCase) =>
                "a multipart body needs a boundary in its Content-Type, and this one has none (or one too long).",
            _ when message.Contains("limit", StringComparison.OrdinalIgnoreCase) =>
                "a field's value or a part's headers are larger than a form takes.",
            _ when exception is IOException =>
                "the body ended before its last part did (cut short, or not multipart/form-data at all).",
            _ => "it is not a well-formed form body.",
        };
    }

    /// <summary>
    /// A query or route value the endpoint's typed parameter could not take ("?limit=x"): minimal APIs say so only in
    /// the exception's text (RouteHandlerOptions.ThrowOnBadRequest is on in every environment, so it always throws).
    /// </summary>
    public static (string Name, string Message)? UnboundParameter(string message)
    {
        var failed = FailedToBind().Match(message);
        if (failed.Success)
        {
            var type = failed.Groups["type"].Value.TrimEnd('?');
            var hint = type switch
            {
                "int" or "long" or "short" => "Give a whole number.",
                "decimal" or "double" or "float" => "Give a number.",
                "bool" => "Give true or false.",
                "DateOnly" => "Give a date as YYYY-MM-DD.",
                "DateTimeOffset" or "DateTime" => "Give a time such as 2026-03-29T09:00:00+02:00.",
                "TimeOnly" => "Give a time of day such as 09:00.",
                "Guid" => "Give an id.",
                _ => "The value is not valid here.",
            };
            return (JsonPath(failed.Groups["name"].Value), hint);
        }

        var missing = NotProvided().Match(message);
        return missing.Success ? (JsonPath(missing.Groups["name"].Value), "Give a value.") : null;
    }

    [GeneratedRegex("""^Failed to bind parameter "(?<type>.+) (?<name>[^ "]+)" from ".*"\.\z""", RegexOptions.Singleline)]
    private static partial Regex FailedToBind();

    [GeneratedRegex("""^Required parameter "(?<type>.+) (?<name>[^ "]+)" was not provided from (?!body)""", RegexOptions.Singleline)]
    private static partial Regex NotProvided();

    [GeneratedRegex("""^(Implicit body inferred for parameter "[^"]+" but no body was provided|Required parameter "[^"]+" was not provided from body)""", RegexOptions.Singleline)]
    private static partial Regex NoBody();

    public static ProblemDetails Validation(IDictionary<string, string[]> errors)
    {
        var problem = Create(ProblemKinds.Validation, 400, "Some values are not valid", "See errors for each field.");
        problem.Extensions["errors"] = errors;
        return problem;
    }

    /// <summary>
    /// "Owner.Email" or "$.owner.email" → "owner.email": the camelCase JSON path of a field. A header's name
    /// ("Idempotency-Key": a hyphen, which no JSON member or parameter of the API has) stays as the header is written.
    /// </summary>
    public static string JsonPath(string propertyName)
    {
        var trimmed = propertyName.StartsWith("$.", StringComparison.Ordinal) ? propertyName[2..] : propertyName.TrimStart('$');
        if (trimmed.Length == 0)
        {
            return "body";
        }

        if (trimmed.Contains('-', StringComparison.Ordinal))
        {
            return trimmed;
        }

        return string.Join('.', trimmed.Split('.').Select(s => s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s[1..]));
    }

    public static Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status ?? 500;
        return context.Response.WriteAsJsonAsync(problem, (JsonSerializerOptions?)null, "application/problem+json");
    }
}
