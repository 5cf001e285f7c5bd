using System.Globalization;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;

namespace Booking.Host.Web;

/// <summary>
/// Lists under each operation's error statuses the problem kinds it may answer with (<see cref="ProblemAnswer"/>
/// metadata, declared where the refusal is made: the tenant's source, the portal gate, an access level), adding the
/// status as a problem-details response where the endpoint did not declare it. Two answers follow from the
/// operation's shape and are added here rather than at each endpoint: a JSON body adds 400 `validation` (a field's
/// value, or the body itself, can be wrong) and 415; a path parameter adds 404 `not-found` (a missing, malformed or
/// another tenant's id, all answered alike); a body adds 413 and a query key 400 (<see cref="RequestShapeAnswers"/>).
/// </summary>
public static class ProblemAnswersDocument
{
    public const string ProblemJson = "application/problem+json";

    public static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var answers = context.Description.ActionDescriptor.EndpointMetadata.OfType<ProblemAnswer>().ToList();
        if (operation.RequestBody?.Content?.ContainsKey("application/json") == true)
        {
            answers.Add(new ProblemAnswer(400, ProblemKinds.Validation));
            answers.Add(new ProblemAnswer(415, ProblemKinds.UnsupportedMediaType));
        }

        if (context.Description.ParameterDescriptions.Any(p => p.Source == BindingSource.Path))
        {
            answers.Add(new ProblemAnswer(404, ProblemKinds.NotFound));
        }

        answers.AddRange(RequestShapeAnswers.For(operation, context)); // 413 with a body, 400 for a repeated query key (decision 298)

        if (answers.Count == 0)
        {
            return Task.CompletedTask;
        }

        operation.Responses ??= [];
        foreach (var status in answers.GroupBy(answer => answer.Status).OrderBy(group => group.Key))
        {
            var key = status.Key.ToString(CultureInfo.InvariantCulture);
            if (operation.Responses.TryGetValue(key, out var declared) && declared is not OpenApiResponse)
            {
                continue;
            }

            var response = declared as OpenApiResponse ?? new OpenApiResponse();
            if (response.Content is null || response.Content.Count == 0)
            {
                response.Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ProblemJson] = new() { Schema = new OpenApiSchemaReference(nameof(ProblemDetails), context.Document) },
                };
            }

            var kinds = status.Select(answer => answer.Kind).Distinct().Order(StringComparer.Ordinal).Select(kind => $"`{kind}`");
            response.Description = $"{ReasonPhrases.GetReasonPhrase(status.Key)}; problem kinds: {string.Join(", ", kinds)}.";
            operation.Responses[key] = response;
        }

        RequestShapeAnswers.Explain(operation, context);
        return Task.CompletedTask;
    }
}
