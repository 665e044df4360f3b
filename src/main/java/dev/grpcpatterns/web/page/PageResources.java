package dev.grpcpatterns.web.page;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The page at {@code /}: its files (classpath {@code page/}, the browser libraries under {@code page/lib}) at
 * {@code /page/**}, and {@code /} showing its {@code index.html}. Only with {@code web.enabled}, like the protocols
 * it calls: the {@code prod} profile serves neither.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "web.enabled", havingValue = "true")
class PageResources implements WebMvcConfigurer {

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        // no-cache: a browser may keep the files, but asks (If-Modified-Since) before using them after an upgrade
        registry.addResourceHandler("/page/**")
                .addResourceLocations("classpath:/page/")
                .setCacheControl(CacheControl.noCache());
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        // a forward, not a redirect: the address stays /, against which the page's relative paths resolve
        registry.addViewController("/").setViewName("forward:/page/index.html");
    }
}
