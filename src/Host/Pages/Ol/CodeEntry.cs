using Booking.BuildingBlocks.Problems;
using Booking.Host.Web;
using Booking.PortalAuth.Features.Phone;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;

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
        Seconds(sent, clock).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary><see cref="At"/> as a number, for a page that carries it in a hidden field.</summary>
    public static long Seconds(CodeSent sent, TimeProvider clock) => clock.GetUtcNow().ToUnixTimeSeconds() + sent.ResendAfterSeconds;

    /// <summary>Seconds left until <paramref name="resendAt"/> (none: 0).</summary>
    public static int SecondsUntil(long? resendAt, TimeProvider clock) =>
        (int)Math.Max(0, (resendAt ?? 0) - clock.GetUtcNow().ToUnixTimeSeconds());
}

/// <summary>
/// A form where a client without a password proves a step of theirs with a code texted to their own verified mobile,
/// typed with the rest of the form (Your details: the email page's "Text me a code", the mobile page's "Text my current
/// mobile a code"): the attempt and when a new code may be asked for ride in hidden fields.
/// </summary>
public interface IOwnMobileCodeForm
{
    string? Attempt { get; set; }

    long? ResendAt { get; set; }

    /// <summary>Empties the current password and code typed, which are never echoed back into the page.</summary>
    void ForgetSecrets();
}

/// <summary>The one "Text me a code" (and "Send a new code") of an <see cref="IOwnMobileCodeForm"/>.</summary>
public static class OwnMobileCodeForm
{
    /// <summary>
    /// Sends <paramref name="command"/> (the page's own send, as the API's) after the page's earlier problems are cleared
    /// and it is read again (<paramref name="read"/>): the new attempt and its resend time go into the form, or the
    /// problem (a 403 or 429) is the page's. What else was typed stays in its boxes; the secrets do not.
    /// </summary>
    public static async Task<IActionResult> SendAsync<TPage>(TPage page, ISender sender, ICommand<CodeSent> command, Func<CancellationToken, Task> read,
        TimeProvider clock, CancellationToken cancellationToken)
        where TPage : PageModel, IOwnMobileCodeForm
    {
        page.ModelState.Clear();
        await read(cancellationToken);
        try
        {
            var sent = await sender.Send(command, cancellationToken);
            page.Attempt = sent.AttemptId.ToString();
            page.ResendAt = ResendClock.Seconds(sent, clock);
        }
        catch (Exception ex) when (page.ModelState.TryAdd(ex, _ => ""))
        {
        }

        page.ForgetSecrets();
        return new PageResult();
    }
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

/// <summary>
/// What a code page says when a new code may not be sent yet (a 429 <c>rate-limited</c> with its wait): the time to wait,
/// in minutes once it is the hourly cap, never "wait a little" beside an hour (finding 4 of the s41 review, decision 344).
/// </summary>
public static class CodeLimitWords
{
    public static string For(int seconds) => seconds >= 120
        ? $"Too many codes were asked for in the last hour. You can ask for a new code in {(seconds + 59) / 60} minutes."
        : $"A new code can be sent only a short while after the last one. You can ask for it in {seconds} seconds.";
}

/// <summary>
/// Why a code no longer works, said to the client whose attempt it is (its id is in their page's address, so telling
/// them tells nobody else anything): expired, used, too many wrong tries, or the sign-in itself is over (decision 344).
/// </summary>
public static class CodeEndWords
{
    /// <param name="signsIn">The code page is a sign-in's; else it proves a mobile (Your details), which is no sign-in.</param>
    public static string For(PhoneCodeState state, string codeLifetime, bool signsIn = true) => state.End switch
    {
        CodeEnd.Expired when state.CanResend => $"This code has expired: a code works for {codeLifetime}. We can text you a new one.",
        CodeEnd.Expired => $"This code has expired: a code works for {codeLifetime}. Ask for a new code.",
        CodeEnd.Used when signsIn => "This code was already used, so it no longer works. To sign in again, ask for a new code.",
        CodeEnd.Used => "This code was already used, so it no longer works.",
        CodeEnd.TooManyWrongCodes => "This code had too many wrong tries, so it no longer works. Ask for a new code.",
        CodeEnd.AttemptOver when signsIn => "This sign-in was started too long ago, so its code no longer works. Ask for a new code.",
        CodeEnd.AttemptOver => "This code was sent too long ago, so it no longer works. Ask for a new code.",
        _ => "This code no longer works. Ask for a new code.",
    };
}
