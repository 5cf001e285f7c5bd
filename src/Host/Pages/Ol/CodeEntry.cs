using Booking.BuildingBlocks.Problems;
using Booking.Host.Web;
using Booking.PortalAuth.Features.Phone;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// The one-time code a client types (phone sign-in, proving a mobile, adding an email), as typed: the commands read it in
/// any script's decimal digits (PortalAuth's <c>SignInCodes.Normalised</c>), as the API does.
/// </summary>
public sealed class CodeInput
{
    public string? Code { get; set; }
}

/// <summary>What <c>Shared/_CodeEntry.cshtml</c> (the code form and "Send a new code") needs from its page.</summary>
public interface ICodeEntryPage
{
    CodeInput Input { get; }

    /// <summary>Seconds until a new code may be asked for (the cooldown the server answered).</summary>
    int SecondsToResend { get; }

    /// <summary>Where the code form posts.</summary>
    string CodeAction { get; }

    /// <summary>Where "Send a new code" posts.</summary>
    string ResendAction { get; }

    /// <summary>"Use a different number": back to the page that asks for the number.</summary>
    string RestartUrl { get; }
}

/// <summary>
/// When a new code may be asked for, carried in the code page's address as Unix seconds (<c>resendAt</c>), so the page
/// can count down after a reload: the same on every page where a code is typed.
/// </summary>
public static class ResendClock
{
    /// <summary>The <c>resendAt</c> value for a code just sent.</summary>
    public static string At(CodeSent sent, TimeProvider clock) =>
        (clock.GetUtcNow().ToUnixTimeSeconds() + sent.ResendAfterSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Seconds left until <paramref name="resendAt"/> (none: 0).</summary>
    public static int SecondsUntil(long? resendAt, TimeProvider clock) =>
        (int)Math.Max(0, (resendAt ?? 0) - clock.GetUtcNow().ToUnixTimeSeconds());
}

/// <summary>The problems a code post meets, put on the page the same way wherever a code is typed.</summary>
public static class CodeProblems
{
    /// <summary>
    /// Adds the problem (the attempt's id is no field of the page: its problems are the page's); true when it was one.
    /// <paramref name="dead"/>: the attempt can take no more codes (expired, used, or that was the last wrong code), so
    /// the page offers a new code instead of the form.
    /// </summary>
    public static bool TryAdd(ModelStateDictionary modelState, Exception ex, out bool dead)
    {
        dead = false;
        if (!modelState.TryAdd(ex, field => field == "attemptId" ? "" : PageProblems.DefaultInputName(field)))
        {
            return false;
        }

        var kind = PageProblems.Kind(ex);
        if (kind == "attempt-expired")
        {
            dead = true;
            modelState.Remove("");
            modelState.AddModelError("", "This code no longer works: it expired, was used, or had too many wrong tries. Ask for a new code.");
        }

        if (kind == "invalid-code")
        {
            // The wrong code belongs next to the code field, with how many tries are left.
            var message = modelState[""]?.Errors.LastOrDefault()?.ErrorMessage;
            modelState.Remove("");
            var left = ex is ProblemException p && p.Extensions.TryGetValue("attemptsLeft", out var l) ? l as int? : null;
            if (left == 0)
            {
                // That was the last wrong code: the code is dead, and no form for it is shown again.
                dead = true;
                modelState.AddModelError("", "That code is not right, and that was the last try: this code no longer works. Ask for a new code.");
            }
            else
            {
                modelState.AddModelError("Input.Code", left is null ? message ?? "That code is not right." : $"That code is not right. {left} {(left == 1 ? "try" : "tries")} left.");
            }
        }

        return true;
    }
}
