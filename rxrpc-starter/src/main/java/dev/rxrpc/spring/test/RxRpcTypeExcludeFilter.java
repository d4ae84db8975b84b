package dev.rxrpc.spring.test;

import dev.rxrpc.spring.RxExceptionHandler;
import dev.rxrpc.spring.annotation.RxService;
import dev.rxrpc.spring.autoconfigure.RxRpcServerCustomizer;
import java.io.IOException;
import java.util.Set;
import org.springframework.boot.test.context.filter.annotation.StandardAnnotationCustomizableTypeExcludeFilter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;
import org.springframework.util.ClassUtils;

/**
 * What {@link RxRpcTest} scans: {@code @RxService} classes (also when the annotation is on an interface they
 * implement), {@link RxExceptionHandler}s and {@link RxRpcServerCustomizer}s.
 */
public final class RxRpcTypeExcludeFilter extends StandardAnnotationCustomizableTypeExcludeFilter<RxRpcTest> {

    private static final Set<Class<?>> INCLUDES =
            Set.of(RxService.class, RxExceptionHandler.class, RxRpcServerCustomizer.class);

    RxRpcTypeExcludeFilter(Class<?> testClass) {
        super(testClass);
    }

    @Override
    protected Set<Class<?>> getKnownIncludes() {
        return INCLUDES;
    }

    @Override
    protected boolean defaultInclude(MetadataReader reader, MetadataReaderFactory factory) throws IOException {
        if (super.defaultInclude(reader, factory)) {
            return true;
        }
        if (reader.getClassMetadata().isInterface() || reader.getClassMetadata().isAbstract()) {
            return false;
        }
        try {
            Class<?> type = ClassUtils.forName(
                    reader.getClassMetadata().getClassName(), getClass().getClassLoader());
            return AnnotatedElementUtils.hasAnnotation(type, RxService.class);
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
