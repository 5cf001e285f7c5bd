using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Booking.Host.Web;

/// <summary>
/// Binds the pages' yes/no fields (checkboxes: <c>bool</c>, <c>bool?</c>). A browser only ever posts <c>true</c> or
/// <c>false</c>; a crafted post with anything else (<c>BookableOnline=maybe</c>) made MVC's own binder keep that text as
/// the field's attempted value, and the checkbox tag helper, converting it back when the page was shown again with its
/// errors, threw: a 500 on every page with a checkbox. Here such a value is a field error ("Choose yes or no.") and the
/// box is shown unticked, the way a browser would have sent it.
/// </summary>
public sealed class YesNoBinderProvider : IModelBinderProvider
{
    public IModelBinder? GetBinder(ModelBinderProviderContext context) =>
        context.Metadata.UnderlyingOrModelType == typeof(bool) ? new YesNoBinder(context.Metadata.IsReferenceOrNullableType) : null;
}

public sealed class YesNoBinder(bool nullable) : IModelBinder
{
    public const string Message = "Choose yes or no.";

    public Task BindModelAsync(ModelBindingContext bindingContext)
    {
        var posted = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
        if (posted == ValueProviderResult.None)
        {
            return Task.CompletedTask;
        }

        var text = posted.FirstValue;
        if (bool.TryParse(text, out var value))
        {
            bindingContext.ModelState.SetModelValue(bindingContext.ModelName, posted);
            bindingContext.Result = ModelBindingResult.Success(value);
        }
        else if (string.IsNullOrWhiteSpace(text) && nullable)
        {
            bindingContext.ModelState.SetModelValue(bindingContext.ModelName, posted);
            bindingContext.Result = ModelBindingResult.Success(null);
        }
        else
        {
            bindingContext.ModelState.SetModelValue(bindingContext.ModelName, new ValueProviderResult(bool.FalseString));
            bindingContext.ModelState.TryAddModelError(bindingContext.ModelName, Message);
            bindingContext.Result = ModelBindingResult.Failed();
        }

        return Task.CompletedTask;
    }
}
