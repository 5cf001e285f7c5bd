using System.Text.Json;
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
        var problem = ProblemWriter.From(exception, out var retryAfter);
        if (problem.Status >= 500)
        {
            logger.LogError(exception, "Unhandled error");
        }

        if (retryAfter is not null)
        {
            httpContext.Response.Headers.RetryAfter = retryAfter.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await ProblemWriter.WriteAsync(httpContext, problem);
        return true;
    }
}

public static class ProblemWriter
{
    public static ProblemDetails Create(string kind, int status, string title, string? detail = null) => new()
    {
        Type = ProblemKinds.Uri(kind),
        Status = status,
        Title = title,
        Detail = detail,
    };

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
                    [JsonPath(json.Path ?? "body")] = [json is JsonFieldException field ? field.Text : "The value is not valid JSON of the expected type."],
                });
            case BadHttpRequestException b:
                return Validation(new Dictionary<string, string[]> { ["body"] = [b.Message] });
            default:
                return Create(ProblemKinds.ServerError, 500, "Something went wrong", "The error was logged.");
        }
    }

    public static ProblemDetails Validation(IDictionary<string, string[]> errors)
    {
        var problem = Create(ProblemKinds.Validation, 400, "Some values are not valid", "See errors for each field.");
        problem.Extensions["errors"] = errors;
        return problem;
    }

    /// <summary>"Owner.Email" or "$.owner.email" → "owner.email": the camelCase JSON path of a field.</summary>
    public static string JsonPath(string propertyName)
    {
        var trimmed = propertyName.StartsWith("$.", StringComparison.Ordinal) ? propertyName[2..] : propertyName.TrimStart('$');
        if (trimmed.Length == 0)
        {
            return "body";
        }

        return string.Join('.', trimmed.Split('.').Select(s => s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s[1..]));
    }

    public static Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status ?? 500;
        return context.Response.WriteAsJsonAsync(problem, (JsonSerializerOptions?)null, "application/problem+json");
    }
}
