using System.Globalization;
using System.Text.Json;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Booking.Host.Web;

/// <summary>
/// The two answers of decision 298 in the OpenAPI document, per operation (decision 305): every operation that takes a
/// request body may answer 413 <c>content-too-large</c>, and its 413 names the route's own limit (the same metadata and
/// configuration <see cref="RequestBodyLimitMiddleware"/> enforces: 1 MB, the logo upload's 8 MB) in words, in bytes and
/// as the example problem's <c>maxBytes</c>; every <c>/api</c> operation with query parameters may answer 400
/// <c>validation</c> for a key given twice (<see cref="SingleQueryValuesMiddleware"/>), said under its 400.
/// <see cref="ProblemAnswersDocument"/> lists these kinds with the rest (<see cref="For"/>) and then lets
/// <see cref="Explain"/> add the sentences.
/// </summary>
public static class RequestShapeAnswers
{
    /// <summary>What a 400 of an operation with query parameters says of a repeated key.</summary>
    public static readonly string RepeatedQueryKey =
        $"A query key given more than once is `{ProblemKinds.Validation}` naming the key (\"{SingleQueryValuesMiddleware.Message}\").";

    /// <summary>The problem kinds the request's shape adds: 413 for a body under a limit, 400 for query keys.</summary>
    public static IEnumerable<ProblemAnswer> For(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        if (BodyLimit(operation, context) is not null)
        {
            yield return new ProblemAnswer(StatusCodes.Status413PayloadTooLarge, ProblemKinds.ContentTooLarge);
        }

        if (RefusesRepeatedQuery(operation, context))
        {
            yield return new ProblemAnswer(StatusCodes.Status400BadRequest, ProblemKinds.Validation);
        }
    }

    /// <summary>After the statuses are written: the 413's limit (words, bytes, an example problem) and the 400's repeated-key rule.</summary>
    public static void Explain(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        if (BodyLimit(operation, context) is { } limit
            && operation.Responses?.TryGetValue("413", out var declared) == true && declared is OpenApiResponse tooLarge)
        {
            var bytes = limit.ToString(CultureInfo.InvariantCulture);
            tooLarge.Description += $" The body may be at most {ProblemWriter.Words(limit)} ({bytes} bytes); the problem's `maxBytes` is {bytes}.";
            if (tooLarge.Content?.TryGetValue(ProblemAnswersDocument.ProblemJson, out var media) == true && media is OpenApiMediaType problem)
            {
                problem.Example = JsonSerializer.SerializeToNode(ProblemWriter.ContentTooLarge(limit), JsonSerializerOptions.Web);
            }
        }

        if (RefusesRepeatedQuery(operation, context)
            && operation.Responses?.TryGetValue("400", out var badRequest) == true && badRequest is OpenApiResponse refused)
        {
            refused.Description += " " + RepeatedQueryKey;
        }
    }

    /// <summary>
    /// The operation's body limit in bytes: none without a body, or when the route lifts the limit. A route that declares
    /// a limit of its own takes a body even if its body is described later (the logo upload's own transformer, which
    /// runs after this one, writes its multipart body).
    /// </summary>
    private static long? BodyLimit(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        return operation.RequestBody is null && !metadata.OfType<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>().Any()
            ? null
            : RequestBodyLimits.For(metadata, RequestBodyLimits.Configured(context.ApplicationServices.GetRequiredService<IConfiguration>()));
    }

    private static bool RefusesRepeatedQuery(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        if (context.Description.RelativePath?.StartsWith("api/", StringComparison.OrdinalIgnoreCase) != true)
        {
            return false; // the middleware guards /api only
        }

        var repeatable = context.Description.ActionDescriptor.EndpointMetadata.OfType<RepeatableQueryMetadata>().LastOrDefault();
        return operation.Parameters?.Any(parameter => parameter.In == ParameterLocation.Query
            && parameter.Name is { } name && repeatable?.Keys.Contains(name) != true) == true;
    }
}
