using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Booking.Host.Web;

/// <summary>What the reset-password pages (the portal's and staff's) show after a post.</summary>
public enum ResetPasswordOutcome
{
    /// <summary>The password is changed.</summary>
    Done,

    /// <summary>Refused for a field (a weak password): the form again, with its errors; the link still works.</summary>
    Refused,

    /// <summary>The link was used already or has expired (or is another business's): no form, a way to ask again.</summary>
    LinkDead,
}

/// <summary>The reset-password pages' shared steps; each page sends its own module's commands.</summary>
public static class ResetPasswordPost
{
    /// <summary>Whether a link the page was opened with can no longer be used (no link at all is "incomplete", not dead).</summary>
    public static async Task<bool> LinkDeadAsync(string? token, Func<string, Task<bool>> usable) =>
        !string.IsNullOrEmpty(token) && !await usable(token);

    /// <summary>Sends the reset; a refusal is put on the form (the token's problem as a form message, the password's on its field).</summary>
    public static async Task<ResetPasswordOutcome> SendAsync(ModelStateDictionary modelState, string? token, Func<Task> reset, Func<string, Task<bool>> usable)
    {
        try
        {
            await reset();
            return ResetPasswordOutcome.Done;
        }
        catch (Exception ex) when (modelState.TryAdd(ex, field => field == "token" ? "" : PageProblems.DefaultInputName(field)))
        {
            return await LinkDeadAsync(token, usable) ? ResetPasswordOutcome.LinkDead : ResetPasswordOutcome.Refused;
        }
    }
}
