using System.Globalization;
using Booking.Host.Web;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Booking.Host.Pages.Staff.Setup;

/// <summary>
/// A whole-number box on a setup page (a service's duration and buffer, the booking rules, the portal's cancellation
/// hours and upcoming-appointments limit), with what the page says, naming the field, when the box is empty or holds
/// no whole number ("abc", "1,5", "1.5"): "Enter the duration in whole minutes, for example 30." MVC's own binder
/// said "The value 'abc' is not valid for Duration (minutes)." and, that error standing, the page sent nothing, so
/// the form's other problems were not seen until it was fixed (decision 240). A number out of range is the command's
/// to refuse, in its words ("Use 5 to 480 minutes."). A page with such a box checks the rest of the form with
/// <see cref="NumberBoxes.RefusedAsync"/> before it sends anything.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NumberBoxAttribute(string message) : ModelBinderAttribute(typeof(NumberBoxBinder))
{
    /// <summary>The page's words for an empty box or one that holds no whole number.</summary>
    public string Message { get; } = message;
}

/// <summary>
/// Binds an <c>int</c>/<c>int?</c> marked <see cref="NumberBoxAttribute"/>: digits (a sign and spaces around them
/// allowed) are the number; anything else, an empty box too, is the attribute's message on the field, with what was
/// typed kept to show again. A box not posted at all (another form of the page was sent) binds nothing.
/// </summary>
public sealed class NumberBoxBinder : IModelBinder
{
    public Task BindModelAsync(ModelBindingContext bindingContext)
    {
        var box = (bindingContext.ModelMetadata as DefaultModelMetadata)?.Attributes.PropertyAttributes?.OfType<NumberBoxAttribute>().FirstOrDefault()
            ?? throw new InvalidOperationException($"{bindingContext.ModelName} is bound as a number box without [NumberBox].");
        var posted = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
        if (posted == ValueProviderResult.None)
        {
            return Task.CompletedTask;
        }

        bindingContext.ModelState.SetModelValue(bindingContext.ModelName, posted);
        if (int.TryParse(posted.FirstValue, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var number))
        {
            bindingContext.Result = ModelBindingResult.Success(number);
        }
        else
        {
            bindingContext.ModelState.TryAddModelError(bindingContext.ModelName, box.Message);
            bindingContext.Result = ModelBindingResult.Failed();
        }

        return Task.CompletedTask;
    }
}

public static class NumberBoxes
{
    /// <summary>
    /// True when a field of the post already has its error (a number box that did not read, a price that is no
    /// number): the command is then not sent, since a field left at its old or default value could be saved, but its
    /// validators are run (the same ones the API runs) so every other field's problem stands by its field in the same
    /// round; a field that has its error keeps only that one. False: nothing is wrong yet, send the command.
    /// </summary>
    public static async Task<bool> RefusedAsync(PageModel page, object command, Func<string, string>? inputName, CancellationToken ct)
    {
        if (page.ModelState.ErrorCount == 0)
        {
            return false;
        }

        var failures = new List<ValidationFailure>();
        // The command's own type's validators (a variable typed as ICommand<…> holds a CreateService or an UpdateService).
        var validators = page.HttpContext.RequestServices.GetServices(typeof(IValidator<>).MakeGenericType(command.GetType()));
        foreach (var validator in validators.Cast<IValidator>())
        {
            failures.AddRange((await validator.ValidateAsync(new ValidationContext<object>(command), ct)).Errors);
        }

        if (failures.Count > 0)
        {
            var theirs = new ModelStateDictionary();
            theirs.TryAdd(new ValidationException(failures), inputName);
            foreach (var (key, entry) in theirs)
            {
                if (page.ModelState.TryGetValue(key, out var mine) && mine.Errors.Count > 0)
                {
                    continue;
                }

                foreach (var error in entry.Errors)
                {
                    page.ModelState.AddModelError(key, error.ErrorMessage);
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Empties the model state (so the form shows the values the handler set, not those posted) except the fields
    /// under <paramref name="prefix"/> that have an error: a number box's message and what was typed in it stay.
    /// </summary>
    public static void ClearAllButErrorsOf(this ModelStateDictionary modelState, string prefix)
    {
        var kept = modelState
            .Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal) && e.Value is { Errors.Count: > 0 })
            .Select(e => (e.Key, e.Value!.RawValue, e.Value.AttemptedValue, Errors: e.Value.Errors.Select(x => x.ErrorMessage).ToList()))
            .ToList();
        modelState.Clear();
        foreach (var (key, raw, attempted, errors) in kept)
        {
            modelState.SetModelValue(key, raw, attempted);
            foreach (var error in errors)
            {
                modelState.AddModelError(key, error);
            }
        }
    }
}
