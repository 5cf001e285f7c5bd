using Booking.BuildingBlocks.Problems;
using FluentValidation;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Booking.Host.Web;

/// <summary>
/// Pages send the same mediator commands as the API, so they meet the same problems. This puts a problem on the
/// page: each field error next to its field, anything else as one page-level message (shown by a validation
/// summary with ModelOnly). Field names arrive as the API's camelCase JSON paths ("owner.email"); pages map them to
/// their input names (default: "Input." + PascalCase path, i.e. asp-for="Input.Owner.Email").
/// </summary>
public static class PageProblems
{
    /// <summary>True when the exception was a problem the page can show; false for anything else (let it throw).</summary>
    public static bool TryAdd(this ModelStateDictionary modelState, Exception exception, Func<string, string>? inputName = null)
    {
        if (exception is not (ProblemException or ValidationException))
        {
            return false;
        }

        var problem = ProblemWriter.From(exception, out var retryAfter);
        if (problem.Extensions.TryGetValue("errors", out var value) && value is IDictionary<string, string[]> errors)
        {
            foreach (var (field, messages) in errors)
            {
                foreach (var message in messages)
                {
                    modelState.AddModelError((inputName ?? DefaultInputName)(field), message);
                }
            }

            return true;
        }

        var text = problem.Detail ?? problem.Title ?? "That did not work.";
        if (retryAfter is { } seconds)
        {
            text += seconds >= 120 ? $" Try again in {(seconds + 59) / 60} minutes." : $" Try again in {seconds} seconds.";
        }

        modelState.AddModelError(string.Empty, text);
        return true;
    }

    /// <summary>The problem kind (last segment of its type), e.g. "slot-conflict", for pages that branch on it.</summary>
    public static string Kind(Exception exception) => exception switch
    {
        ProblemException p => p.Kind,
        ValidationException => ProblemKinds.Validation,
        _ => ProblemKinds.ServerError,
    };

    /// <summary>"owner.email" → "Input.Owner.Email"; "items[0].name" → "Input.Items[0].Name".</summary>
    public static string DefaultInputName(string field) =>
        "Input." + string.Join('.', field.Split('.').Select(s => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..]));
}
