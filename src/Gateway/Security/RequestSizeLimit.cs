using Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Security;

/// <summary>
/// Turns a declared body larger than the limit away before it is read. Kestrel enforces the same limit on
/// bodies without a Content-Length while they stream.
/// </summary>
internal static class RequestSizeLimit
{
    public static IApplicationBuilder UseRequestSizeLimit(this IApplicationBuilder app)
    {
        var limit = app.ApplicationServices.GetRequiredService<IOptions<GatewayOptions>>().Value.MaxRequestBodyBytes;
        return app.Use((context, next) =>
        {
            if (context.Request.ContentLength > limit)
            {
                return Results.Problem(
                    title: "Request body too large",
                    detail: $"The body may be at most {limit} bytes.",
                    statusCode: StatusCodes.Status413PayloadTooLarge,
                    type: "urn:gateway:problem:body-too-large").ExecuteAsync(context);
            }

            return next(context);
        });
    }
}
