using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Booking.Host.Web;

/// <summary>
/// Binds the pages' yes/no fields (checkboxes: <c>bool</c>, <c>bool?</c>). A browser only ever posts <c>true</c> or
/// <c>false</c>; a crafted post with anything else (<c>BookableOnline=maybe</c>) made MVC's own binder keep that text as
/// the field's attempted value, and the checkbox tag helper, converting it back when the page was shown again with its
/// errors, threw: a 500 on every page with a checkbox. Here such a value is a field error ("Choose yes or no.") with the
/// box unticked, and <see cref="RefuseMalformedYesNo"/> refuses the post before the handler runs.
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

/// <summary>
/// A page post holding a yes/no field that is neither is refused (400) before the page's handler runs, so nothing
/// is saved from it. Most pages' handlers do not look at ModelState (their text fields are checked by the module's
/// validators), so without this a crafted <c>Settings.Enabled=maybe</c> on the portal setup page was saved as "no", switching the portal off.
/// No browser sends such a value; the answer says what happened rather than showing the form again.
/// </summary>
public sealed class RefuseMalformedYesNo : IPageFilter
{
    public const string Refusal = "A yes/no field of this form was sent as neither yes nor no, so nothing was saved. Go back and send the form again.";

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        if (HttpMethods.IsPost(context.HttpContext.Request.Method)
            && context.ModelState.Values.Any(v => v.Errors.Any(e => e.ErrorMessage == YesNoBinder.Message)))
        {
            context.Result = new ContentResult { StatusCode = StatusCodes.Status400BadRequest, ContentType = "text/plain; charset=utf-8", Content = Refusal };
        }
    }

    public void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
    }

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
    }
}
